package io.blkflight.model;

import java.util.Locale;
import java.util.Set;

/**
 * How thread tables treat virtual threads, of which a service may run millions, each short-lived: one row each (as
 * platform threads always are), one row per carrier thread that carried them, or one row per name prefix (the name
 * with its trailing digits replaced by {@code *}: vt-reader-0 to vt-reader-7 are "vt-reader-*", unnamed ones
 * "VirtualThread#*").
 */
public enum ThreadGrouping {
    EACH, CARRIER, PREFIX;

    /** The row of a request: its issuer, and for a virtual thread what this grouping makes of it. */
    public String label(BlockRequest request) {
        if (!request.virtualThread()) {
            return request.issuer();
        }
        switch (this) {
            case CARRIER:
                return carrierLabel(request);
            case PREFIX:
                return prefix(request.issuer());
            default:
                return request.issuer();
        }
    }

    /** The name of the option value ("each", "carrier", "prefix"). */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The grouping an option value names; throws with what is accepted otherwise. */
    public static ThreadGrouping parse(String text) {
        for (ThreadGrouping grouping : values()) {
            if (grouping.optionValue().equals(text)) {
                return grouping;
            }
        }
        throw new IllegalArgumentException("takes each, carrier or prefix, not '" + text + "'");
    }

    /** The row of virtual threads grouped by the carrier that carried them. */
    public static String carrierLabel(BlockRequest request) {
        String carrier = request.carrierThreadName();
        return "virtual threads on " + (carrier == null || carrier.isEmpty() ? "(carrier unknown)" : carrier);
    }

    /** A thread name with its trailing digits replaced by *: vt-reader-7 is vt-reader-*; a name without any stays. */
    public static String prefix(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        return end == name.length() ? name : name.substring(0, end) + "*";
    }

    /**
     * Whether a request is one of the threads named: its issuer by name, and a virtual thread also by its name prefix
     * (vt-reader-*) or by the carrier that carried it.
     */
    public static boolean matches(Set<String> names, BlockRequest request) {
        if (names.contains(request.issuer())) {
            return true;
        }
        return request.virtualThread() && (names.contains(prefix(request.issuer()))
                || (request.carrierThreadName() != null && names.contains(request.carrierThreadName())));
    }
}
