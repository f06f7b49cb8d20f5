package dev.tidings.router.routes;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** How a route's record values are encoded. */
public enum Format {
    /** UTF-8 JSON text. */
    JSON,
    /** Avro framed by Confluent's serializer: byte 0, a 4-byte big-endian schema id, the binary body. */
    AVRO_CONFLUENT,
    /** Tidings' own {@code Notification} in Avro single-object encoding (another notifications topic). */
    AVRO_TIDINGS;

    /** The name used in routes files. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format of a routes-file name, or {@code null}. */
    static @Nullable Format of(String yamlName) {
        for (Format format : values()) {
            if (format.yamlName().equals(yamlName)) {
                return format;
            }
        }
        return null;
    }
}
