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

    @Property(tries = 2000)
    void everyCursorRoundTrips(@ForAll long most, @ForAll long least,
            @ForAll @Size(min = 1, max = 64) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets) {
        Cursor cursor = new Cursor(new UUID(most, least), toArray(offsets));

        String text = CursorCodec.encode(cursor);

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(decodeUnchecked(text)).isEqualTo(cursor);
    }

    @Property(tries = 3000)
    void arbitraryStringsAreRejectedWithACheckedErrorOnly(@ForAll @StringLength(max = 200) String garbage) {
        try {
            CursorCodec.decode(garbage);
        }
        catch (InvalidCursorException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 3000)
    void arbitraryBytesAreRejectedWithACheckedErrorOnly(@ForAll @Size(max = 120) byte[] bytes) {
        try {
            CursorCodec.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        catch (InvalidCursorException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 1000)
    void anyFlippedBitIsDetected(@ForAll @Size(min = 1, max = 12) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> offsets,
            @ForAll int position, @ForAll @LongRange(min = 0, max = 7) long bit) {
        byte[] bytes = Base64.getUrlDecoder().decode(CursorCodec.encode(new Cursor(UUID.randomUUID(), toArray(offsets))));
        bytes[Math.floorMod(position, bytes.length)] ^= (byte) (1 << bit);
        String mangled = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThatThrownBy(() -> CursorCodec.decode(mangled)).isInstanceOf(InvalidCursorException.class);
    }

    private static long[] toArray(List<Long> offsets) {
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    private static Cursor decodeUnchecked(String text) {
        try {
            return CursorCodec.decode(text);
        }
        catch (InvalidCursorException ex) {
            throw new AssertionError(ex);
        }
    }
}
