package org.allockit.bench.shootout;

import java.util.Arrays;
import org.allockit.core.HeapVisitor;

/**
 * An allocator's address space as {@link org.allockit.core.Allocator#walk} reported it: ranges in
 * the order given, each with its state, kept in primitive arrays (a walk after {@code traverse}
 * reports hundreds of thousands of ranges). Gaps between the allocator's regions are not kept: the
 * map shows the regions side by side.
 *
 * <p>Thread safety: filled by one thread, then read-only.
 */
public final class HeapMap implements HeapVisitor {

    private static final State[] STATES = State.values();

    private long[] addresses = new long[1024];
    private long[] sizes = new long[1024];
    private byte[] states = new byte[1024];
    private int count;
    private final long[] bytesByState = new long[STATES.length];

    @Override
    public void range(long address, long bytes, State state) {
        if (count == addresses.length) {
            int grown = count + (count >> 1);
            addresses = Arrays.copyOf(addresses, grown);
            sizes = Arrays.copyOf(sizes, grown);
            states = Arrays.copyOf(states, grown);
        }
        addresses[count] = address;
        sizes[count] = bytes;
        states[count] = (byte) state.ordinal();
        count++;
        bytesByState[state.ordinal()] += bytes;
    }

    public int ranges() {
        return count;
    }

    public long address(int i) {
        return addresses[i];
    }

    public long bytes(int i) {
        return sizes[i];
    }

    public State state(int i) {
        return STATES[states[i]];
    }

    /** All bytes reported. */
    public long totalBytes() {
        return Arrays.stream(bytesByState).sum();
    }

    /** Bytes reported in {@code state}. */
    public long bytes(State state) {
        return bytesByState[state.ordinal()];
    }

    /**
     * The state covering most of each of {@code cells} equal slices of the reported bytes, laid end
     * to end in report order: what each pixel of the map shows. A slice with nothing reported is null.
     */
    public State[] slices(int cells) {
        State[] out = new State[cells];
        long total = totalBytes();
        if (total == 0) {
            return out;
        }
        double perCell = (double) total / cells;
        long[] weight = new long[STATES.length];
        int cell = 0;
        double cellEnd = perCell;
        double position = 0;
        for (int i = 0; i < count && cell < cells; i++) {
            double remaining = sizes[i];
            while (remaining > 0 && cell < cells) {
                double take = Math.min(remaining, cellEnd - position);
                weight[states[i]] += (long) Math.ceil(take);
                position += take;
                remaining -= take;
                if (position >= cellEnd - 1e-6) {
                    out[cell++] = heaviest(weight);
                    Arrays.fill(weight, 0);
                    cellEnd += perCell;
                }
            }
        }
        if (cell < cells && Arrays.stream(weight).sum() > 0) {
            out[cell] = heaviest(weight);
        }
        return out;
    }

    private static State heaviest(long[] weight) {
        int best = 0;
        for (int s = 1; s < weight.length; s++) {
            if (weight[s] > weight[best]) {
                best = s;
            }
        }
        return STATES[best];
    }
}
