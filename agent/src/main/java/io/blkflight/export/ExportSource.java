package io.blkflight.export;

/**
 * What an export may need to know of the recording beyond its requests.
 *
 * @param recording     the file or repository folder read
 * @param stacksSampled whether the requests' kernel stacks are a sample (stacks=N/s), each standing for its kind
 * @param stacksOption  the agent's stacks option as the recording says it, or null
 */
public record ExportSource(String recording, boolean stacksSampled, String stacksOption) {
}
