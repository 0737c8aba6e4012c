package io.blkflight.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native library is never loaded from a path someone else could have prepared. */
class NativeLibraryTest {
    @TempDir
    Path temp;

    @Test
    void extractsIntoAFreshPrivateDirectoryAndLeavesNothingBehind() throws Exception {
        Path planted = Files.writeString(temp.resolve(NativeLibrary.LIBRARY_NAME), "planted by someone else");
        Path plantedDirectory = Files.createDirectories(temp.resolve("blkflight"));
        Path plantedInDirectory = Files.writeString(plantedDirectory.resolve(NativeLibrary.LIBRARY_NAME), "planted too");
        List<Path> loaded = new ArrayList<>();
        List<Set<PosixFilePermission>> modes = new ArrayList<>();

        NativeLibrary.extractAndLoad(NativeLibrary.platformResource(), temp, library -> {
            loaded.add(library);
            try {
                modes.add(Files.getPosixFilePermissions(library.getParent()));
                assertThat(Files.size(library)).as("the extracted library is the jar's").isGreaterThan(100_000);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(loaded).singleElement().satisfies(library -> {
            assertThat(library).isNotIn(planted, plantedInDirectory);
            assertThat(library.getParent().getParent()).isEqualTo(temp);
            assertThat(library.getParent().getFileName().toString()).startsWith("blkflight-").hasSizeGreaterThan("blkflight-".length() + 8);
        });
        assertThat(modes).singleElement().as("the directory's mode").isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(planted)).as("the planted files are left alone").isEqualTo("planted by someone else");
        assertThat(Files.readString(plantedInDirectory)).isEqualTo("planted too");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .as("after loading, only what was there before").containsExactlyInAnyOrder(NativeLibrary.LIBRARY_NAME, "blkflight");
        }
    }

    @Test
    void twoExtractionsNeverShareADirectory() throws Exception {
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            NativeLibrary.extractAndLoad(NativeLibrary.platformResource(), temp, library -> directories.add(library.getParent()));
        }
        assertThat(directories).doesNotHaveDuplicates();
    }
}
