package org.allockit.bench.sim;

import java.util.Locale;

/** Memory-access trace formats the simulator replays. */
public enum TraceFormat {
    /**
     * {@code valgrind --tool=lackey --trace-mem=yes}: {@code I  addr,size} (fetch), {@code  L addr,size}
     * (load), {@code  S addr,size} (store), {@code  M addr,size} (modify); hex address, decimal size.
     * Valgrind's own {@code ==PID==}, {@code --PID--} and {@code **PID**} lines are skipped.
     */
    LACKEY,
    /**
     * DineroIII/IV "din": {@code LABEL ADDRESS [SIZE]} with label 0 (read), 1 (write), 2 (instruction
     * fetch), 3 and 4 (escapes, skipped); hex address, optional decimal size (4 bytes when absent).
     */
    DIN;

    public static TraceFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown trace format '" + text + "' (lackey, din)", e);
        }
    }
}
