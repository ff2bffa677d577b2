package org.allockit.core.trace;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a trace in format version 1, gzip-compressed when the file name ends in {@code .gz}. It
 * writes what it is given: the {@link TraceReader} is the one that checks a trace. Not thread-safe.
 */
public final class TraceWriter implements Closeable {

    private final Writer out;
    private long operations;

    public TraceWriter(OutputStream out) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    /** A writer to {@code file}, compressed when its name ends in {@code .gz}. */
    public static TraceWriter create(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new TraceWriter(file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw);
    }

    /** A comment line; {@code text} is written after {@code "# "}, one line per line of text. */
    public void comment(String text) throws IOException {
        for (String line : text.split("\\R", -1)) {
            out.write(line.isEmpty() ? "#\n" : "# " + line + "\n");
        }
    }

    public void alloc(int id, long size) throws IOException {
        operation("a " + id + " " + size);
    }

    public void alignedAlloc(int id, long size, long alignment) throws IOException {
        operation("m " + id + " " + size + " " + alignment);
    }

    public void realloc(int id, long size) throws IOException {
        operation("r " + id + " " + size);
    }

    public void free(int id) throws IOException {
        operation("f " + id);
    }

    /** Operations written so far. */
    public long operations() {
        return operations;
    }

    private void operation(String line) throws IOException {
        out.write(line);
        out.write('\n');
        operations++;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
