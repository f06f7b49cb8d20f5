package dev.tidings.bench.population;

import java.util.Locale;

/** What each published notification is addressed to. */
public enum Scenario {
    /** Every connected client. */
    BROADCAST,
    /** One random user (one client). */
    USER,
    /** One random group (about {@code groupSize} clients, on every gateway). */
    GROUP;

    /** The lower-case name used on the command line, in the result line and in the wire target. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
