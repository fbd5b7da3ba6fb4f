package cn.prepaid.ledger.store.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on localhost to a server's port whose open connections can go silent: from then on what either
 * side sends is dropped and nothing is closed, as when a database host vanishes (power cut, network partition)
 * without resetting its connections. Connections opened afterwards are relayed again, as to a new primary.
 */
public final class SilencingRelay implements AutoCloseable {

    /** One relayed connection: the client's socket and the server's. */
    private static final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean silent;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void relay(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                    if (!silent) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // one side went away: the other one's relay ends when it is closed below
            }
            close();
        }

        void close() {
            try (client; server) {
                // both sockets closed
            } catch (IOException alreadyClosed) {
                // nothing left to release
            }
        }
    }

    private final ServerSocket listening;
    private final int serverPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final ExecutorService relays = Executors.newCachedThreadPool();

    public SilencingRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        relays.submit(this::accept);
    }

    public int port() {
        return listening.getLocalPort();
    }

    /** Connections relayed so far, silent or not. */
    public int connectionsOpened() {
        return links.size();
    }

    /** Every connection open now stops passing anything on, and stays open. */
    public void silenceOpenConnections() {
        links.forEach(link -> link.silent = true);
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), serverPort));
                links.add(link);
                relays.submit(() -> link.relay(link.client, link.server));
                relays.submit(() -> link.relay(link.server, link.client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
        links.forEach(Link::close);
        relays.shutdownNow();
    }
}
