package org.allockit.core.pt;

/**
 * Which arena owns each heap-sized window of the address space: the owner of an address is found by
 * masking it to its window ({@code address >>> log2(heapSize)}) and two array reads, without a map
 * or a search, the way glibc finds a non-main arena's {@code heap_info} by masking.
 *
 * <pre>
 *  address:  [ 47 .. 36 | 35 .. log2(heapSize) | rest ]
 *               leaf #      slot in the leaf    offset in the window
 *  slot value: 0 = not ours, 1..126 = arena (value - 1), DIRECT = a direct mapping's window
 * </pre>
 *
 * Windows are only ever marked for ranges this heap reserved whole, so reading any word of a marked
 * window cannot fault. Writes happen under the owning heap's growth lock; reads need no lock, because
 * an address reaches a reader only after the allocation that made its window, and the leaves are
 * published before that (plain arrays: a reader that raced ahead would see 0 and report a foreign address).
 */
final class HeapTable {

    static final byte DIRECT = -1;
    /** Arena indexes fit in a byte beside the DIRECT mark. */
    static final int MAX_ARENAS = 126;
    private static final int TOP_SHIFT = 36;
    private static final int ADDRESS_BITS = 48;

    private final int windowShift;
    private final byte[][] leaves = new byte[1 << (ADDRESS_BITS - TOP_SHIFT)][];

    HeapTable(long heapSize) {
        if (Long.bitCount(heapSize) != 1 || heapSize > (1L << TOP_SHIFT) || heapSize < (1L << 20)) {
            throw new IllegalArgumentException("heap size " + heapSize + " must be a power of two from 1 MiB to 64 GiB");
        }
        this.windowShift = Long.numberOfTrailingZeros(heapSize);
    }

    /** The slot value of the window holding {@code address}: 0 when no window of ours holds it. */
    byte owner(long address) {
        if (address >>> ADDRESS_BITS != 0) {
            return 0;
        }
        byte[] leaf = leaves[(int) (address >>> TOP_SHIFT)];
        return leaf == null ? 0 : leaf[(int) ((address & ((1L << TOP_SHIFT) - 1)) >>> windowShift)];
    }

    /** Marks every window of {@code [base, base + bytes)} with {@code value}; base and bytes are whole windows. */
    synchronized void mark(long base, long bytes, byte value) {
        for (long w = base; w < base + bytes; w += 1L << windowShift) {
            int top = (int) (w >>> TOP_SHIFT);
            if (leaves[top] == null) {
                leaves[top] = new byte[1 << (TOP_SHIFT - windowShift)];
            }
            leaves[top][(int) ((w & ((1L << TOP_SHIFT) - 1)) >>> windowShift)] = value;
        }
    }

    /** Slot value for arena {@code index}. */
    static byte arenaMark(int index) {
        return (byte) (index + 1);
    }
}
