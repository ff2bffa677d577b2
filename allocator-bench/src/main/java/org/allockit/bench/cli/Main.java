package org.allockit.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./allockit} command line: one picocli subcommand per job. */
@Command(name = "allockit", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.class,
        description = "Off-heap allocators for Java, and the tools to measure them.",
        subcommands = {VersionCommand.class, ImportCommand.class, ReplayCommand.class, ShootoutCommand.class,
            SimulateCommand.class, TcClassesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
