package org.allockit.bench.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.allockit.core.trace.Trace;

/**
 * The traces bundled in allockit's jar ({@code src/main/resources/traces}, with a README giving the
 * commands that recorded them): small recordings of real programs, the default workload of the
 * shoot-out and the tests. Stateless.
 */
public final class BundledTraces {

    /** The bundled traces, smallest first. */
    public static final List<String> NAMES = List.of("openssl_rsa", "perl_hash", "python_json");

    private BundledTraces() {
    }

    /** Reads the bundled trace {@code name}. */
    public static Trace read(String name) throws IOException {
        InputStream in = NAMES.contains(name) ? BundledTraces.class.getResourceAsStream("/traces/" + name + ".trace.gz") : null;
        if (in == null) {
            throw new IllegalArgumentException("no bundled trace named '" + name + "'; bundled: " + NAMES);
        }
        return Trace.read(in, "traces/" + name + ".trace.gz", true);
    }

    /** Reads {@code fileOrName}: the file when it exists, else the bundled trace of that name. */
    public static Trace fileOrBundled(String fileOrName) throws IOException {
        Path file = Path.of(fileOrName);
        if (Files.exists(file)) {
            return Trace.read(file);
        }
        if (NAMES.contains(fileOrName)) {
            return read(fileOrName);
        }
        throw new IllegalArgumentException("no trace file " + file + " (bundled traces: " + NAMES + ")");
    }
}
