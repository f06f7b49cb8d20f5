package dev.tidings.common.threads;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(EventLoops.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(EventLoops.PROPERTY);
        }
        else {
            System.setProperty(EventLoops.PROPERTY, before);
        }
    }

    @Test
    void runsOneEventLoopPerAvailableCoreWhenNothingIsGiven() {
        System.clearProperty(EventLoops.PROPERTY);

        int loops = EventLoops.onePerCoreUnlessSet();

        assertThat(loops).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(System.getProperty(EventLoops.PROPERTY)).isEqualTo(Integer.toString(loops));
    }

    @Test
    void keepsTheNumberOfEventLoopsTheJvmOptionGives() {
        System.setProperty(EventLoops.PROPERTY, "3");

        assertThat(EventLoops.onePerCoreUnlessSet()).isEqualTo(3);
        assertThat(System.getProperty(EventLoops.PROPERTY)).isEqualTo("3");
    }
}
