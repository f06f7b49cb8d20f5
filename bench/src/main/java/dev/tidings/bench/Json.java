package dev.tidings.bench;

import tools.jackson.databind.json.JsonMapper;

/** Writes result lines: one JSON object per line on stdout, flushed at once. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static void printLine(Object value) {
        System.out.println(MAPPER.writeValueAsString(value));
        System.out.flush();
    }
}
