package io.blkflight.resolve;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kernel's text symbols from /proc/kallsyms, to name the frames of kernel stacks as
 * {@code function+0xoffset}. Kept compact (one address array, one name blob): about 12 bytes per
 * symbol. Where kallsyms hides addresses (kptr_restrict) every frame is named by its address.
 */
public final class KernelSymbols {
    /** A frame further than this past the nearest symbol is not believed to belong to it. */
    private static final long MAX_OFFSET = 1 << 20;

    private final long[] addresses;
    private final int[] nameStarts;
    private final byte[] names;

    private KernelSymbols(long[] addresses, int[] nameStarts, byte[] names) {
        this.addresses = addresses;
        this.nameStarts = nameStarts;
        this.names = names;
    }

    public static KernelSymbols load() throws IOException {
        return load(Path.of("/proc/kallsyms"));
    }

    /** Reads a file in kallsyms format: address, type, name, optional [module]. */
    public static KernelSymbols load(Path kallsyms) throws IOException {
        int count = 0;
        long[] addresses = new long[1 << 17];
        String[] symbolNames = new String[1 << 17];
        try (BufferedReader reader = Files.newBufferedReader(kallsyms, StandardCharsets.US_ASCII)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int first = line.indexOf(' ');
                int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
                if (second != first + 2) {
                    continue;
                }
                char type = line.charAt(first + 1);
                if (type != 't' && type != 'T' && type != 'w' && type != 'W') {
                    continue;
                }
                long address = Long.parseUnsignedLong(line.substring(0, first), 16);
                if (address == 0) {
                    continue;
                }
                String rest = line.substring(second + 1);
                int tab = rest.indexOf('\t');
                String name = tab < 0 ? rest : rest.substring(0, tab) + " " + rest.substring(tab + 1).trim();
                if (count == addresses.length) {
                    addresses = Arrays.copyOf(addresses, count * 2);
                    symbolNames = Arrays.copyOf(symbolNames, count * 2);
                }
                addresses[count] = address;
                symbolNames[count] = name;
                count++;
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        long[] unsorted = addresses;
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(unsorted[a], unsorted[b]));
        long[] sorted = new long[count];
        int[] starts = new int[count + 1];
        StringBuilder blob = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sorted[i] = unsorted[order[i]];
            starts[i] = blob.length();
            blob.append(symbolNames[order[i]]);
        }
        starts[count] = blob.length();
        return new KernelSymbols(sorted, starts, blob.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether any symbol has an address: kallsyms shows zeros to readers without CAP_SYSLOG (kptr_restrict). */
    public boolean hasAddresses() {
        return addresses.length > 0;
    }

    public int size() {
        return addresses.length;
    }

    /** {@code function+0xoffset}, or the address in hex when no symbol is near. */
    public String name(long address) {
        int low = 0;
        int high = addresses.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(addresses[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0 || address - addresses[found] > MAX_OFFSET) {
            return "0x" + Long.toHexString(address);
        }
        String name = new String(names, nameStarts[found], nameStarts[found + 1] - nameStarts[found], StandardCharsets.US_ASCII);
        long offset = address - addresses[found];
        int space = name.indexOf(' ');
        // A module's symbol reads function+0xoff [module], as the kernel prints it.
        return space < 0 ? name + "+0x" + Long.toHexString(offset)
                : name.substring(0, space) + "+0x" + Long.toHexString(offset) + name.substring(space);
    }
}
