package dev.tidings.gateway.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/** A client that does not read until told to: its bytes stay in the connection's outbound buffer. */
final class GatedFlush extends ChannelOutboundHandlerAdapter {

    private volatile boolean reading;

    /** The client reads from now on, starting with everything waiting. */
    void open(EmbeddedChannel channel) {
        reading = true;
        channel.flush();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (reading) {
            ctx.flush();
        }
    }
}
