package dev.tidings.gateway.session;

import java.util.function.Consumer;

import org.springframework.web.reactive.socket.CloseStatus;

/**
 * What a session calls outside itself: its connection's close handshake, the node's count of slow
 * cuts, and the node's budget for replayed bytes.
 */
record SessionHooks(Consumer<CloseStatus> closeHandshake, Runnable slowCut, CatchUpBudget budget) {
}
