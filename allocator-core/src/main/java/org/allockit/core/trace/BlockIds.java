package org.allockit.core.trace;

import java.util.Arrays;

/**
 * The live blocks of a trace while it is read: maps each live trace ID to a dense <em>slot</em>
 * (0, 1, 2, ... reused after a free), so replayers index plain arrays by slot however large the IDs
 * are. Invariant: {@code slotCount() >= live()}, and slots {@code [0, slotCount())} are either held by
 * one live ID or on the free-slot stack. IDs live in an open-addressing table (linear probing,
 * backward-shift deletion). Not thread-safe: one reader owns it.
 */
final class BlockIds {

    private static final int EMPTY = -1;

    private int[] keys = filled(16);
    private int[] slotOfKey = new int[16];
    private int mask = 15;
    private int live;

    private int[] freeSlots = new int[16];
    private int freeCount;
    private int slotCount;
    /** Per slot: the line where its block was allocated, for error messages. */
    private int[] allocatedAt = new int[16];

    /** The slot of a live ID, or -1 when the ID is not live. */
    int slotOf(int id) {
        for (int i = hash(id) & mask; ; i = (i + 1) & mask) {
            int key = keys[i];
            if (key == id) {
                return slotOfKey[i];
            }
            if (key == EMPTY) {
                return -1;
            }
        }
    }

    /** Makes {@code id} (not live) live at {@code line}; returns its slot. */
    int add(int id, int line) {
        if ((live + 1) * 2 > keys.length) {
            grow();
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : newSlot();
        allocatedAt[slot] = line;
        insert(id, slot);
        live++;
        return slot;
    }

    /** Ends the life of a live ID; returns the slot it held, which becomes free. */
    int remove(int id) {
        int i = hash(id) & mask;
        while (keys[i] != id) {
            i = (i + 1) & mask;
        }
        int slot = slotOfKey[i];
        deleteAt(i);
        live--;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        return slot;
    }

    /** The line where the block now in {@code slot} was allocated. */
    int allocatedAt(int slot) {
        return allocatedAt[slot];
    }

    /** Live IDs now. */
    int live() {
        return live;
    }

    /** Slots ever handed out: the peak number of live blocks. */
    int slotCount() {
        return slotCount;
    }

    private int newSlot() {
        if (slotCount == allocatedAt.length) {
            allocatedAt = Arrays.copyOf(allocatedAt, slotCount * 2);
        }
        return slotCount++;
    }

    private void insert(int id, int slot) {
        int i = hash(id) & mask;
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = id;
        slotOfKey[i] = slot;
    }

    /** Backward-shift deletion: moves later entries of the probe run up so no lookup stops early. */
    private void deleteAt(int hole) {
        for (int i = (hole + 1) & mask; keys[i] != EMPTY; i = (i + 1) & mask) {
            int home = hash(keys[i]) & mask;
            // The entry at i may fill the hole when its home is not cyclically within (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                slotOfKey[hole] = slotOfKey[i];
                hole = i;
            }
        }
        keys[hole] = EMPTY;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldSlots = slotOfKey;
        keys = filled(oldKeys.length * 2);
        slotOfKey = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldSlots[i]);
            }
        }
    }

    private static int hash(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int[] filled(int length) {
        int[] a = new int[length];
        Arrays.fill(a, EMPTY);
        return a;
    }
}
