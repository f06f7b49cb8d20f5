package dev.tidings.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    @Test
    void rewritesOneLineOnATerminalPaddingOverLongerTextThenEndsIt() {
        ProgressLine line = new ProgressLine(out, true);

        line.show("scanned 100, matched 10");
        line.show("scanned 200, matched 9");
        line.show("scanned 200, matched 9");
        line.end();
        line.end();

        assertThat(text.toString()).isEqualTo("\rscanned 100, matched 10\rscanned 200, matched 9 " + System.lineSeparator());
    }

    @Test
    void printsEachChangeOnItsOwnLineForAFileOrAPipe() {
        ProgressLine line = new ProgressLine(out, false);

        line.show("scanned 100");
        line.show("scanned 100");
        line.show("scanned 200");
        line.end();

        assertThat(text.toString()).isEqualTo("scanned 100" + System.lineSeparator() + "scanned 200" + System.lineSeparator());
    }
}
