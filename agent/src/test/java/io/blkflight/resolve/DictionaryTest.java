package io.blkflight.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DictionaryTest {
    private final List<String> written = new ArrayList<>();
    private final Dictionary<String> dictionary = new Dictionary<>(3, (id, value) -> written.add(id + "=" + value));

    @Test
    void writesEachValueOncePerChunkBeforeItsFirstUse() {
        assertThat(dictionary.id("a")).isEqualTo(1);
        assertThat(dictionary.id("b")).isEqualTo(2);
        assertThat(dictionary.id("a")).isEqualTo(1);
        assertThat(written).containsExactly("1=a", "2=b");

        dictionary.newChunk();
        assertThat(dictionary.id("b")).isEqualTo(2);
        assertThat(dictionary.id("b")).isEqualTo(2);
        assertThat(written).containsExactly("1=a", "2=b", "2=b");
    }

    @Test
    void startsOverWithNewIdsWhenFull() {
        for (String value : List.of("a", "b", "c")) {
            dictionary.id(value);
        }
        assertThat(dictionary.id("d")).as("never an id given before").isEqualTo(4);
        assertThat(dictionary.size()).isEqualTo(1);
        assertThat(dictionary.restarts()).isEqualTo(1);
        assertThat(dictionary.id("a")).as("a forgotten value comes back under a new id, written again").isEqualTo(5);
        assertThat(written).containsExactly("1=a", "2=b", "3=c", "4=d", "5=a");
    }
}
