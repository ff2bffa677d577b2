package org.allockit.bench.shootout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a shoot-out ran on, written with its results so that two runs can be told apart.
 *
 * @param cpu   the CPU model ({@code /proc/cpuinfo}), or "unknown"
 * @param cores the processors the JVM may use
 * @param jdk   the Java version and VM
 * @param os    the operating system, version and architecture
 */
public record Machine(String cpu, int cores, String jdk, String os) {

    public static Machine current() {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return cpu + ", " + cores + " cores, " + os + ", Java " + jdk;
    }
}
