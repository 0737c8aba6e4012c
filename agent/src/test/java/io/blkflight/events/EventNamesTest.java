package io.blkflight.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.EventNames;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.Event;
import jdk.jfr.Name;
import org.junit.jupiter.api.Test;

/** The names the report and the JMC plugin read by are the names the agent's events are written with. */
class EventNamesTest {
    private static Set<String> fieldNames(Class<? extends Event> type) {
        return Arrays.stream(type.getDeclaredFields()).filter(f -> Modifier.isPublic(f.getModifiers()))
                .map(Field::getName).collect(Collectors.toSet());
    }

    private static Set<String> constants(Class<?> holder) {
        return Arrays.stream(holder.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }).collect(Collectors.toSet());
    }

    @Test
    void eventClassesCarryTheSharedNames() {
        assertThat(BlockRequestEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.BLOCK_REQUEST);
        assertThat(KernelStackEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.KERNEL_STACK);
        assertThat(CompactRequestEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.COMPACT_REQUEST);
        assertThat(RequestShapeEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.REQUEST_SHAPE);
        assertThat(RequestAddressEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.REQUEST_ADDRESS);
        assertThat(FileEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.FILE);
        assertThat(CollectorStatisticsEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.COLLECTOR_STATISTICS);
        assertThat(CollectorConfigurationEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.COLLECTOR_CONFIGURATION);
        assertThat(PushMarkEvent.class.getAnnotation(Name.class).value()).isEqualTo(EventNames.PUSH_MARK);
    }

    @Test
    void everySharedFieldNameIsAFieldOfTheEvent() {
        assertThat(fieldNames(BlockRequestEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.Request.class));
        assertThat(fieldNames(KernelStackEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.Stack.class));
        assertThat(fieldNames(CompactRequestEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.Compact.class));
        assertThat(fieldNames(RequestShapeEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.Shape.class));
        assertThat(fieldNames(RequestAddressEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.Address.class));
        assertThat(fieldNames(FileEvent.class)).containsExactlyInAnyOrderElementsOf(constants(EventNames.File.class));
    }
}
