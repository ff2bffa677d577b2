package org.allockit.bench.cli;

import java.util.concurrent.Callable;
import org.allockit.core.tc.SizeClasses;
import picocli.CommandLine.Command;

/** {@code allockit tc-classes}: the tcmalloc-style heap's generated size-class table. */
@Command(name = "tc-classes", mixinStandardHelpOptions = true,
        description = "Print the size classes of the tc heap: size, pages per span, objects, batch, waste.")
final class TcClassesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.printf("%5s %8s %6s %8s %6s %11s %10s%n",
                "class", "size", "pages", "objects", "batch", "worst-waste", "tail-bytes");
        for (int cl = 1; cl < SizeClasses.count(); cl++) {
            System.out.printf("%5d %8d %6d %8d %6d %10.1f%% %10d%n", cl, SizeClasses.size(cl), SizeClasses.pages(cl),
                    SizeClasses.objectsPerSpan(cl), SizeClasses.batch(cl), 100 * SizeClasses.worstWaste(cl),
                    SizeClasses.tailWaste(cl));
        }
        System.out.printf("%d classes up to %d bytes; pages of %d bytes; worst waste measured over 16-aligned requests%n",
                SizeClasses.count() - 1, SizeClasses.MAX_SMALL, SizeClasses.PAGE);
        return 0;
    }
}
