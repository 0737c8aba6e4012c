package io.blkflight.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void aFaultStacksTextBecomesFramesAndLines() {
        JavaLink link = Frames.parseJavaStack("jdk.internal.misc.Unsafe.getByte\njava.nio.DirectByteBuffer.get:339\n"
                + "app.Scanner.scan:42\n\njava.lang.Thread.run:840", JavaLink.Source.FAULT_STACK);

        assertThat(link.source()).isEqualTo(JavaLink.Source.FAULT_STACK);
        assertThat(link.frames()).containsExactly("jdk.internal.misc.Unsafe.getByte", "java.nio.DirectByteBuffer.get",
                "app.Scanner.scan", "java.lang.Thread.run");
        assertThat(link.lines()).containsExactly(-1, 339, 42, 840);
    }

    @Test
    void aColonThatIsNoLineStaysInTheName() {
        JavaLink link = Frames.parseJavaStack("app.Weird.m:x\napp.Weird.n:\napp.Weird.o:12345678901", JavaLink.Source.FAULT_STACK);

        assertThat(link.frames()).containsExactly("app.Weird.m:x", "app.Weird.n:", "app.Weird.o:12345678901");
        assertThat(link.lines()).containsExactly(-1, -1, -1);
    }

    @Test
    void hostileTextIsCleanedAndBounded() {
        JavaLink link = Frames.parseJavaStack("app.X.m\u001b[31m:3\r", JavaLink.Source.FAULT_STACK);
        assertThat(link.frames()).containsExactly("app.X.m?[31m:3?");
        assertThat(Frames.parseJavaStack("a.b:1\n".repeat(3000), JavaLink.Source.FAULT_STACK).frames())
                .hasSize(Frames.MAX_JAVA_FRAMES);
        assertThat(Frames.parseJavaStack(null, JavaLink.Source.FAULT_STACK).frames()).isEqualTo(List.of());
    }
}
