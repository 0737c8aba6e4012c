package io.blkflight.model;

import java.util.List;

/**
 * One kernel function a request passed through (function-level mode): when, relative to the request's
 * start (negative for work on its bio before the request existed), whether it ran in the issuing thread,
 * and its kernel stack (innermost frame first; empty unless function stacks were recorded).
 */
public record FunctionHit(long offsetNanos, String function, boolean inIssuer, List<String> kernelStack) {
    public FunctionHit {
        kernelStack = List.copyOf(kernelStack);
    }
}
