package dev.safeops.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server that speaks just enough of PostgreSQL's protocol to see what a client does: it
 * either never answers (a server that accepted and hangs) or asks for a cleartext password and
 * records the one it is given.
 */
final class FakeServer implements AutoCloseable {

    enum Behaviour { SILENT, ASKS_FOR_PASSWORD }

    /** SSLRequest and GSSENCRequest: answered "N", then the client sends its startup message. */
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<String> passwords = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FakeServer(Behaviour behaviour) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.acceptor = new Thread(this::acceptAll, "fake-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FakeServer start(Behaviour behaviour) throws IOException {
        return new FakeServer(behaviour);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** How many connections were accepted. */
    int connections() {
        return accepted.size();
    }

    /** The passwords clients sent, in order. */
    List<String> passwords() {
        return List.copyOf(passwords);
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.add(client);
                if (behaviour == Behaviour.ASKS_FOR_PASSWORD) {
                    Thread talker = new Thread(() -> askForPassword(client), "fake-postgres-client");
                    talker.setDaemon(true);
                    talker.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void askForPassword(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                int length = in.readInt();
                int code = in.readInt();
                in.readFully(new byte[length - 8]);
                if (code != SSL_REQUEST && code != GSS_REQUEST) {
                    break;
                }
                out.writeByte('N');
                out.flush();
            }
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(3);
            out.flush();
            if (in.readByte() == 'p') {
                byte[] password = new byte[in.readInt() - 4];
                in.readFully(password);
                passwords.add(new String(password, 0, password.length - 1, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The client went away: nothing more to record.
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : accepted) {
            client.close();
        }
    }
}
