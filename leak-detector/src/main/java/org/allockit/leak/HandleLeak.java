package org.allockit.leak;

/**
 * A handle over an off-heap block that became unreachable without being released: its block is
 * still allocated and nothing can free it any more.
 *
 * @param type    the handle's class
 * @param address the block it stood for
 * @param bytes   the block's size
 * @param site    where the handle was registered
 */
public record HandleLeak(String type, long address, long bytes, Site site) {
}
