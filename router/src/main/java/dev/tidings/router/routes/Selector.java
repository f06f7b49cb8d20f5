package dev.tidings.router.routes;

import com.jayway.jsonpath.JsonPath;

/** Where a route takes a value from: the record's value by JSONPath, its key, or one of its headers. */
public sealed interface Selector {

    /** A JSONPath over the record's value. */
    record ValuePath(JsonPath path) implements Selector {
        @Override
        public String toString() {
            return path.getPath();
        }
    }

    /** The record's key as UTF-8 text. */
    record Key() implements Selector {
        @Override
        public String toString() {
            return "key";
        }
    }

    /** The last header named {@code name}, as UTF-8 text. */
    record Header(String name) implements Selector {
        @Override
        public String toString() {
            return "header:" + name;
        }
    }
}
