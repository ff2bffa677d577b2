package org.allockit.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code allockit shootout}: not built yet (issue 9); says so and fails. */
@Command(name = "shootout", mixinStandardHelpOptions = true,
        description = "Every allocator against the baselines (not built yet).")
final class ShootoutCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("allockit shootout: not built yet (the shoot-out is an open issue); "
                + "try './allockit replay --help'");
        return 2;
    }
}
