package dev.tidings.common.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class CursorCodecProperties {

    static final String KEY = "cursor-key-one-0123456789abcdef0123456";
    static final String OTHER_KEY = "cursor-key-two-0123456789abcdef0123456";
    static final CursorCodec CODEC = CursorCodec.ofSecrets(List.of(KEY));

    @Property(tries = 2000)
    void everyCursorRoundTrips(@ForAll long most, @ForAll long least,
            @ForAll @Size(min = 1, max = 64) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets) {
        Cursor cursor = new Cursor(new UUID(most, least), toArray(offsets));

        String text = CODEC.encode(cursor);

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(decodeUnchecked(text)).isEqualTo(cursor);
    }

    @Property(tries = 3000)
    void arbitraryStringsAreRejectedWithACheckedErrorOnly(@ForAll @StringLength(max = 200) String garbage) {
        try {
            CODEC.decode(garbage);
        }
        catch (InvalidCursorException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 3000)
    void arbitraryBytesAreRejectedWithACheckedErrorOnly(@ForAll @Size(max = 120) byte[] bytes) {
        try {
            CODEC.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        catch (InvalidCursorException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 1000)
    void anyFlippedBitIsDetected(@ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets,
            @ForAll int position, @ForAll @LongRange(min = 0, max = 7) long bit) {
        byte[] bytes = Base64.getUrlDecoder().decode(CODEC.encode(new Cursor(UUID.randomUUID(), toArray(offsets))));
        bytes[Math.floorMod(position, bytes.length)] ^= (byte) (1 << bit);
        String mangled = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThatThrownBy(() -> CODEC.decode(mangled)).isInstanceOf(InvalidCursorException.class);
    }

    @Property(tries = 500)
    void aCursorSignedWithAnotherKeyIsRefusedWhateverItSays(
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets) {
        String forged = CursorCodec.ofSecrets(List.of(OTHER_KEY)).encode(new Cursor(UUID.randomUUID(), toArray(offsets)));

        assertThatThrownBy(() -> CODEC.decode(forged)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("signature");
    }

    @Property(tries = 200)
    void aRotatedCodecStillReadsTheCursorsOfItsPreviousKeyAndSignsWithItsNewOne(
            @ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets)
            throws InvalidCursorException {
        Cursor cursor = new Cursor(UUID.randomUUID(), toArray(offsets));
        CursorCodec rotated = CursorCodec.ofSecrets(List.of(OTHER_KEY, KEY));

        assertThat(rotated.decode(CODEC.encode(cursor))).as("a cursor issued before the rotation").isEqualTo(cursor);
        String issuedAfter = rotated.encode(cursor);
        assertThat(CursorCodec.ofSecrets(List.of(OTHER_KEY)).decode(issuedAfter)).isEqualTo(cursor);
        assertThatThrownBy(() -> CODEC.decode(issuedAfter)).as("a node without the new key")
                .isInstanceOf(InvalidCursorException.class);
    }

    @Property(tries = 1)
    void theUnsignedVersionOneCursorOfEarlierReleasesIsRefused() {
        // version 1: topic id, one partition at offset 0, CRC-32C: anyone could write it.
        String versionOne = "AaJM4xTRk0HTjSZC2elyROwGAAAAAAAArmld2Q";

        assertThatThrownBy(() -> CODEC.decode(versionOne)).isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("version 1");
    }

    private static long[] toArray(List<Long> offsets) {
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    private static Cursor decodeUnchecked(String text) {
        try {
            return CODEC.decode(text);
        }
        catch (InvalidCursorException ex) {
            throw new AssertionError(ex);
        }
    }
}
