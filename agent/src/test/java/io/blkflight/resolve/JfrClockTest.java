package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JfrClockTest {
    /** A pretend pair of clocks: ticks run at {@code rate} per nanosecond from {@code offset}; time advances per read. */
    private static final class FakeClocks implements JfrClock.Source {
        final double rate;
        final long offset;
        long monotonic = 5_000_000_000L;
        boolean jfrRecording = true;

        FakeClocks(double rate, long offset) {
            this.rate = rate;
            this.offset = offset;
        }

        @Override
        public long monotonicNanos() {
            return monotonic += 100;
        }

        @Override
        public long ticks() {
            return jfrRecording ? offset + Math.round((monotonic += 50) * rate) : 0;
        }

        long expectedTicks(long mono) {
            return offset + Math.round(mono * rate);
        }
    }

    @Test
    void convertsMonotonicTimeWithTheMeasuredRateAndOffset() {
        FakeClocks clocks = new FakeClocks(2.4, 123_456_789L);
        JfrClock clock = new JfrClock(clocks);
        assertThat(clock.calibrate()).as("one reading gives no rate yet").isFalse();
        clocks.monotonic += 50_000_000L;

        assertThat(clock.calibrate()).as("a 50 ms baseline gives a rate").isTrue();

        assertThat(clock.ticksPerNano()).isCloseTo(2.4, within(1e-6));
        long when = clocks.monotonic - 3_000_000L;
        assertThat(clock.toTicks(when)).isCloseTo(clocks.expectedTicks(when), within(100L));
        assertThat(clock.toTickSpan(1_000_000L)).isEqualTo(2_400_000L);
    }

    @Test
    void keepsTheRateAccurateOverALongBaseline() {
        FakeClocks clocks = new FakeClocks(1.0000044, -987_654_321L);
        JfrClock clock = new JfrClock(clocks);
        clock.calibrate();
        for (int second = 0; second < 3600; second++) {
            clocks.monotonic += 1_000_000_000L;
            clock.calibrate();
        }
        long later = clocks.monotonic + 500_000_000L;
        assertThat(clock.toTicks(later)).as("half a second past the last reading, after an hour")
                .isCloseTo(clocks.expectedTicks(later), within(200L));
    }

    @Test
    void isNotCalibratedWhileJfrGivesNoTicks() {
        FakeClocks clocks = new FakeClocks(1.0, 0);
        clocks.jfrRecording = false;
        JfrClock clock = new JfrClock(clocks);

        assertThat(clock.ensureCalibrated()).isFalse();
        assertThat(clock.isCalibrated()).isFalse();
    }

    @Test
    void ensureCalibratedWaitsOutTheShortBaseline() {
        JfrClock clock = new JfrClock(new JfrClock.Source() {
            @Override
            public long monotonicNanos() {
                return System.nanoTime();
            }

            @Override
            public long ticks() {
                return System.nanoTime() * 3 + 7;
            }
        });

        assertThat(clock.ensureCalibrated()).isTrue();
        assertThat(clock.ticksPerNano()).isCloseTo(3.0, within(1e-3));
    }
}
