package io.blkflight.events;

import io.blkflight.model.EventNames;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Unsigned;

/**
 * A kernel struct request address that compact block requests name by id (the kernel allocates a fixed
 * set of them per queue and reuses them), written once per chunk before the first request that names it.
 */
@Name(EventNames.REQUEST_ADDRESS)
@Label("Block I/O Request Address")
@Category({EventNames.CATEGORY, "Block I/O"})
@Description("A kernel struct request address that blkflight.CompactRequest events name by address.")
@StackTrace(false)
public final class RequestAddressEvent extends jdk.jfr.Event {
    @Label("Address Id")
    @Description("The id blkflight.CompactRequest events use for this address (never 0).")
    public long addressId;

    @Label("Request Address")
    @Unsigned
    public long requestAddress;
}
