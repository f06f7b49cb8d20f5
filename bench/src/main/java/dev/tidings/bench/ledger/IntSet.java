package dev.tidings.bench.ledger;

import java.util.Arrays;

/**
 * A growable open-addressing set of non-negative ints: the sequence numbers one client has
 * received. Far smaller than a {@code HashSet<Integer>} when a run makes millions of deliveries.
 *
 * <p>Not thread-safe: each client's set is confined to its channel's event loop.
 */
final class IntSet {

    private static final int EMPTY = -1;

    private int[] slots;
    private int size;

    IntSet() {
        this(4);
    }

    IntSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
    }

    /** Adds {@code value}; false when it was already present. */
    boolean add(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("only non-negative values, got " + value);
        }
        if ((size + 1) * 4 > slots.length * 3) {
            grow();
        }
        return insert(slots, value);
    }

    int size() {
        return size;
    }

    /** Calls {@code action} with every value, in no particular order. */
    void forEach(java.util.function.IntConsumer action) {
        for (int v : slots) {
            if (v != EMPTY) {
                action.accept(v);
            }
        }
    }

    private boolean insert(int[] table, int value) {
        int mask = table.length - 1;
        int i = mix(value) & mask;
        while (table[i] != EMPTY) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        size++;
        return true;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (int v : old) {
            if (v != EMPTY) {
                insert(slots, v);
            }
        }
    }

    private static int mix(int value) {
        int h = value * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
