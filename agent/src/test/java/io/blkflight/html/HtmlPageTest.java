package io.blkflight.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page's assembly: what a recording names cannot break out of the page's script, and no placeholder is left. */
class HtmlPageTest {
    @TempDir
    Path directory;

    @Test
    void aRecordedStringCannotEndThePagesScriptAndEveryPlaceholderIsFilled() throws Exception {
        String hostile = "</script><script>alert(1)</script><!--";
        BlockRequest request = BlockRequest.builder().time(1_000_000_000L, 50_000).where("vda", "254:0", "read", "", 8, 4096)
                .issuer(1, 2, hostile, hostile, 3).syscall("pread64", BlockRequest.NOT_AVAILABLE)
                .kernelStack(Stage.SUBMIT, List.of(hostile + "+0x1", "entry_SYSCALL_64+0x2"), true)
                .file("/data/" + hostile, "file", 12, 0).build();
        HtmlPage page = new HtmlPage(false);
        page.add(request);
        Path file = directory.resolve("report.html");

        page.write(file, "/recordings/" + hostile + "/*@data@*/.jfr", List.of("header " + hostile), List.of(request), List.of());

        String html = Files.readString(file);
        assertThat(html).as("the recorded string appears only escaped").doesNotContain(hostile);
        assertThat(html).as("the data holds it, escaped").contains("\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)");
        assertThat(html).as("every placeholder filled, a title's look-alike kept as text")
                .doesNotContainPattern("/\\*@(title|style|echarts|d3|flamegraph|libraries|data)@\\*/\\s*[;<]")
                .contains("<title>blkflight report of /recordings/&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--/*@data@*/.jfr</title>");
        assertThat(html).as("the libraries inlined").contains("Apache ECharts").contains("d3-flame-graph 4.1.3");
    }
}
