/**
 * Compile-only mirror of the part of JMC's Flight Recorder UI API that the blkflight plugin calls.
 *
 * <p>Each type has the package, name and method signatures of the type in openjdk/jmc tag 9.1.0-ga, application/org.openjdk.jmc.flightrecorder.ui/src/main/java/org/openjdk/jmc/flightrecorder/ui
 * (the same in 9.0.0-ga: only copyright years changed between 9.0.0 and 9.1.2). Methods JMC has and the plugin never
 * calls are left out; bodies throw, since this code never runs: at run time the plugin links against the real
 * org.openjdk.jmc.flightrecorder.ui bundle.
 */
package org.openjdk.jmc.flightrecorder.ui;
