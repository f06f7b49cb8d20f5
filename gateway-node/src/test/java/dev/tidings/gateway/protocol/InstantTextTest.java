package dev.tidings.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The {@code publishedAt} of a frame reads exactly as {@link DateTimeFormatter#ISO_INSTANT} writes it. */
class InstantTextTest {

    final InstantText writer = new InstantText();

    @Test
    void everyInstantIsWrittenAsTheIsoInstantFormatterWritesIt() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-100_000_000_000L, 300_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertWrittenAsIsoInstant(Instant.ofEpochSecond(second, nano));
        }
    }

    @Test
    void theEdgesOfTheFourDigitYearsAndOfTheFractionAreWrittenAsIsoInstant() {
        for (Instant instant : new Instant[] { Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(253_402_300_799L, 999_999_999), Instant.ofEpochSecond(253_402_300_800L),
                Instant.parse("2026-11-25T10:15:30.123Z"), Instant.parse("2024-02-29T23:59:59.000001Z"),
                Instant.ofEpochSecond(0, 100_000_000), Instant.MAX, Instant.MIN }) {
            assertWrittenAsIsoInstant(instant);
        }
    }

    @Test
    void theRecordsOfOneSecondAndThoseAfterASecondChangeReuseNothingStale() {
        Instant first = Instant.parse("2026-12-01T08:59:59.998Z");
        for (Instant instant : new Instant[] { first, first.plusMillis(1), first.plusMillis(2), first.plusMillis(1),
                Instant.ofEpochSecond(-5), first, Instant.MAX, first.plusSeconds(86_400) }) {
            assertWrittenAsIsoInstant(instant);
        }
    }

    private void assertWrittenAsIsoInstant(Instant instant) {
        int length = writer.write(instant);
        assertThat(new String(writer.chars(), 0, length)).as("%s", instant)
                .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
    }
}
