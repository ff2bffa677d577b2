package org.allockit.core.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Converts the log of {@code valgrind --trace-malloc=yes} (plain or gzip) into a trace of one process.
 *
 * <p>valgrind prints each call as {@code --PID-- malloc(48) = 0x4D2B090}; its own messages are
 * {@code ==PID== ...}, among them {@code ==PID== Command: ...}, which gives each process's command. A
 * process that execs prints a second {@code Command:} line under the same PID: the new program is a
 * new process, keyed {@code PID#2} (then {@code #3}, ...). A forked child ({@code --trace-children=yes})
 * prints its first {@code Command:} line when it execs; what it did before, on a copy of its
 * parent's heap, is the process {@code PID#0}, so the program it runs starts with a clean heap. The program's own output may share the log;
 * a valgrind message is found wherever it starts on a line.
 *
 * <p>How calls become operations:
 * <ul>
 *   <li>{@code malloc(n)}, {@code operator new} ({@code _Znwm}, {@code _Znam} and their
 *       {@code nothrow} forms, or {@code __builtin_new}): {@code a ID n}. {@code calloc(n,s)}:
 *       {@code a ID n*s}. {@code memalign}, {@code posix_memalign}, {@code aligned_alloc},
 *       {@code valloc} (all printed as {@code memalign(al A, size n)}) and aligned {@code new}:
 *       {@code m ID n A}, an alignment that is not a power of two rounded up as glibc does.</li>
 *   <li>{@code free}, {@code operator delete} in all its forms: {@code f ID}; {@code free(0x0)} is
 *       nothing; a free of an address not allocated in the log (allocated before tracing began) is
 *       dropped and counted.</li>
 *   <li>{@code realloc(0x0,n)}, printed as {@code malloc(n)} or {@code realloc(0x0,n)malloc(n)}: an
 *       {@code a}. {@code realloc(p,n)}: {@code r ID n}, the ID following the block to its new address.
 *       {@code realloc(p,0)}: what the traced allocator did — valgrind (like glibc) frees the block
 *       and returns NULL, printed {@code realloc(p,0)free(p)}, which becomes {@code f ID}; an allocator
 *       that returns a block of 0 bytes instead gives {@code r ID 0}. A realloc of an address
 *       allocated before tracing becomes an {@code a} of the new size.</li>
 *   <li>A call that returned NULL (out of memory, a failed realloc) changes nothing and is counted.
 *       An allocation at an address that is still live means the log lost the free: the old block
 *       is freed first ({@code f}) and counted.</li>
 * </ul>
 * IDs are small: a freed ID is reused by the next allocation, so they stay below the peak number of
 * live blocks. Other calls ({@code malloc_usable_size}, ...) are ignored. Not thread-safe.
 */
public final class ValgrindImporter {

    /** The command of a forked child before it execs, or of a log without a preamble. */
    private static final String UNKNOWN_COMMAND = "unknown (a fork before its exec, or no Command: line)";

    /** A valgrind message: {@code --PID-- text} or {@code ==PID== text}, wherever it starts. */
    private static final Pattern MESSAGE = Pattern.compile("(--|==)(\\d+)\\1 ?(.*)$");
    /** One call: {@code name(args)}. */
    private static final Pattern CALL = Pattern.compile("([A-Za-z_]\\w*)\\(([^()]*)\\)");
    private static final Pattern RESULT = Pattern.compile("\\s*=\\s*(0x\\p{XDigit}+|\\d+)\\s*");
    private static final Pattern NAMED = Pattern.compile("\\b(al|size)\\s+(\\d+)");

    /** A traced process in the log: its key ({@code PID} or {@code PID#n} after an exec), command and calls. */
    public record Process(String key, int pid, String command, long calls) {

        /** The program: the first word of the command. */
        public String program() {
            String trimmed = command.strip();
            int space = trimmed.indexOf(' ');
            return space < 0 ? trimmed : trimmed.substring(0, space);
        }
    }

    /**
     * What an import did.
     *
     * @param process           the process converted
     * @param processes         traced processes in the log
     * @param operations        operations written
     * @param liveAtEnd         blocks still live at the end
     * @param droppedFrees      frees (and reallocs to 0) of blocks allocated before tracing began
     * @param failedCalls       allocations and reallocs that returned NULL
     * @param lostFrees         addresses allocated again while live: frees the log lost
     * @param ignoredLines      calls of the process that were not understood (no result, bad numbers)
     *                          or are not allocations ({@code malloc_usable_size})
     */
    public record Result(Process process, int processes, long operations, int liveAtEnd, long droppedFrees,
                         long failedCalls, long lostFrees, long ignoredLines) {
    }

    private final Path log;

    public ValgrindImporter(Path log) {
        this.log = log;
    }

    /** The traced processes of the log, in the order they first appear. */
    public List<Process> processes() throws IOException {
        Map<String, long[]> calls = new LinkedHashMap<>();
        Map<String, String> commands = new HashMap<>();
        scan(new LogListener() {
            @Override
            public void command(String processKey, String command) {
                commands.put(processKey, command);
                calls.computeIfAbsent(processKey, k -> new long[1]);
            }

            @Override
            public void call(String processKey, String text) {
                calls.computeIfAbsent(processKey, k -> new long[1])[0]++;
            }
        });
        List<Process> all = new ArrayList<>();
        for (var e : calls.entrySet()) {
            String key = e.getKey();
            all.add(new Process(key, pidOf(key), commands.getOrDefault(key, UNKNOWN_COMMAND), e.getValue()[0]));
        }
        return all;
    }

    /**
     * Writes the trace of the process {@code key} ({@code null}: the first that made a call) to
     * {@code out}, with a header naming the trace, the program and the command, and {@code notes}.
     */
    public Result convert(String key, String name, List<String> notes, TraceWriter out) throws IOException {
        List<Process> all = processes();
        Process chosen = null;
        for (Process p : all) {
            if (key == null ? p.calls() > 0 : p.key().equals(key)) {
                chosen = p;
                break;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException(key == null
                    ? log + ": no malloc trace lines (was valgrind run with --trace-malloc=yes?)"
                    : log + ": no process " + key + " in the log; traced: " + all.stream().map(Process::key).toList());
        }
        out.comment("alloc trace v1");
        out.comment("name: " + name);
        out.comment("program: " + chosen.program());
        out.comment("command: " + chosen.command());
        out.comment("recorded with valgrind --trace-malloc=yes; converted by allockit import --from valgrind");
        out.comment("pid: " + chosen.key() + " (one of " + all.size() + " traced processes)");
        for (String note : notes) {
            out.comment(note);
        }
        Conversion conversion = new Conversion(out);
        String wanted = chosen.key();
        scan((k, text) -> {
            if (k.equals(wanted)) {
                conversion.line(text);
            }
        });
        out.comment("end: " + out.operations() + " operations; " + conversion.idOf.size() + " blocks live at the end; "
                + conversion.dropped + " frees of blocks allocated before tracing dropped; " + conversion.failed
                + " calls returned NULL; " + conversion.lost + " frees lost by the log");
        return new Result(chosen, all.size(), out.operations(), conversion.idOf.size(), conversion.dropped,
                conversion.failed, conversion.lost, conversion.ignored);
    }

    /** What {@link #scan} finds in the log, by process. */
    private interface LogListener {
        /** A {@code Command:} line: a new process (or a process that exec'd). */
        default void command(String processKey, String command) {
        }

        /** A malloc-trace line of the process. */
        void call(String processKey, String text) throws IOException;
    }

    /** Reads the log, keeping track of each PID's current process, and tells the listener what it finds. */
    private void scan(LogListener listener) throws IOException {
        Map<Integer, Integer> images = new HashMap<>();
        try (BufferedReader reader = open()) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                Matcher m = MESSAGE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                int pid;
                try {
                    pid = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                String text = m.group(3);
                if (m.group(1).equals("==")) {
                    if (text.startsWith("Command: ")) {
                        int image = images.merge(pid, 1, Integer::sum);
                        String key = processKey(pid, image);
                        listener.command(key, text.substring("Command: ".length()));
                    }
                    continue;
                }
                if (!text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
                    listener.call(processKey(pid, images.getOrDefault(pid, 0)), text);
                }
            }
        }
    }

    private BufferedReader open() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(log), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in, 1 << 16) : in,
                StandardCharsets.UTF_8), 1 << 16);
    }

    /** {@code PID} for a process's first program, {@code PID#n} after its (n-1)-th exec, {@code PID#0} before any. */
    private static String processKey(int pid, int image) {
        return image == 1 ? Integer.toString(pid) : pid + "#" + image;
    }

    private static int pidOf(String key) {
        int hash = key.indexOf('#');
        return Integer.parseInt(hash < 0 ? key : key.substring(0, hash));
    }

    /** The state of one conversion: live addresses and their IDs, the free IDs, the counts. */
    private static final class Conversion {
        private static final long PLAIN = 0;
        private final TraceWriter out;
        final Map<Long, Integer> idOf = new HashMap<>();
        private int[] freeIds = new int[64];
        private int freeCount;
        private int nextId;
        long dropped;
        long failed;
        long lost;
        long ignored;

        Conversion(TraceWriter out) {
            this.out = out;
        }

        void line(String text) throws IOException {
            Matcher call = CALL.matcher(text);
            String name = null;
            String args = null;
            int end = 0;
            // realloc(0x0,8)malloc(8) and realloc(p,0)free(p): the last call of the chain is what happened.
            while (call.find(end) && call.start() == end) {
                name = call.group(1);
                args = call.group(2);
                end = call.end();
            }
            if (name == null) {
                return;
            }
            String rest = text.substring(end);
            Matcher result = RESULT.matcher(rest);
            boolean hasResult = result.matches();
            long returned = hasResult ? address(result.group(1)) : 0;
            try {
                apply(name, args.split(",", -1), hasResult, returned);
            } catch (NumberFormatException e) {
                ignored++;
            }
        }

        private void apply(String name, String[] args, boolean hasResult, long returned) throws IOException {
            if (isFree(name)) {
                free(address(args[0].strip()));
                return;
            }
            if (!hasResult) {
                ignored++;
                return;
            }
            switch (name) {
                case "realloc" -> realloc(address(args[0].strip()), Long.parseLong(args[1].strip()), returned);
                case "calloc" -> {
                    long n = Long.parseLong(args[0].strip());
                    long s = Long.parseLong(args[1].strip());
                    if (Math.multiplyHigh(n, s) != 0 || n * s < 0) {
                        failed++;
                    } else {
                        allocated(returned, n * s, PLAIN);
                    }
                }
                default -> {
                    if (isAligned(name)) {
                        aligned(String.join(",", args), returned);
                    } else if (isAlloc(name)) {
                        allocated(returned, Long.parseLong(args[0].strip()), PLAIN);
                    } else {
                        ignored++;
                    }
                }
            }
        }

        private void aligned(String args, long returned) throws IOException {
            long alignment = -1;
            long size = -1;
            Matcher m = NAMED.matcher(args);
            while (m.find()) {
                long value = Long.parseLong(m.group(2));
                if (m.group(1).equals("al")) {
                    alignment = value;
                } else {
                    size = value;
                }
            }
            if (alignment < 0 || size < 0) {
                ignored++;
                return;
            }
            long power = alignment <= 1 ? 1 : Long.highestOneBit(alignment - 1) << 1;
            allocated(returned, size, power);
        }

        /** Writes an {@code a} when {@code alignment} is {@link #PLAIN}, else an {@code m}. */
        private void allocated(long address, long size, long alignment) throws IOException {
            if (address == 0) {
                failed++;
                return;
            }
            int id = newBlock(address);
            if (alignment != PLAIN) {
                out.alignedAlloc(id, size, alignment);
            } else {
                out.alloc(id, size);
            }
        }

        private void realloc(long address, long size, long returned) throws IOException {
            if (address == 0) {
                allocated(returned, size, PLAIN);
                return;
            }
            Integer id = idOf.get(address);
            if (id == null) {
                if (returned != 0) {
                    allocated(returned, size, PLAIN);
                } else {
                    dropped++;
                }
                return;
            }
            if (returned == 0) {
                if (size == 0) {
                    free(address);
                } else {
                    failed++;
                }
                return;
            }
            idOf.remove(address);
            Integer other = idOf.get(returned);
            if (other != null) {
                lostFree(returned, other);
            }
            idOf.put(returned, id);
            out.realloc(id, size);
        }

        private void free(long address) throws IOException {
            if (address == 0) {
                return;
            }
            Integer id = idOf.remove(address);
            if (id == null) {
                dropped++;
                return;
            }
            out.free(id);
            releaseId(id);
        }

        private int newBlock(long address) throws IOException {
            Integer old = idOf.get(address);
            if (old != null) {
                lostFree(address, old);
            }
            int id = freeCount > 0 ? freeIds[--freeCount] : nextId++;
            idOf.put(address, id);
            return id;
        }

        private void lostFree(long address, int id) throws IOException {
            idOf.remove(address);
            out.free(id);
            releaseId(id);
            lost++;
        }

        private void releaseId(int id) {
            if (freeCount == freeIds.length) {
                freeIds = Arrays.copyOf(freeIds, freeCount * 2);
            }
            freeIds[freeCount++] = id;
        }

        private static long address(String text) {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        }

        private static boolean isFree(String name) {
            return name.equals("free") || name.equals("cfree") || name.startsWith("_Zd")
                    || name.startsWith("__builtin_delete") || name.startsWith("__builtin_vec_delete");
        }

        private static boolean isAligned(String name) {
            return name.equals("memalign") || name.equals("posix_memalign") || name.equals("aligned_alloc")
                    || name.equals("valloc") || name.startsWith("_Zn") && name.contains("align_val_t");
        }

        private static boolean isAlloc(String name) {
            return name.equals("malloc") || name.startsWith("_Zn")
                    || name.startsWith("__builtin_new") || name.startsWith("__builtin_vec_new");
        }
    }
}
