package org.allockit.bench.cli;

import java.util.concurrent.Callable;
import org.allockit.core.AllocatorProvider;
import org.allockit.core.Allocators;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code allockit version}: the version, the JDK it runs on and the registered allocators. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print allockit's version, the JDK and the registered allocators.")
final class VersionCommand implements Callable<Integer>, IVersionProvider {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"allockit " + version()};
    }

    @Override
    public Integer call() {
        System.out.println("allockit " + version());
        System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("allocators:");
        for (AllocatorProvider p : Allocators.providers()) {
            System.out.printf("  %-14s %s%n", p.name(), p.description());
        }
        return 0;
    }
}
