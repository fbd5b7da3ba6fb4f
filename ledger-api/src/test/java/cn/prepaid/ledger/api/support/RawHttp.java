package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.api.support.Http.Answer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 written byte by byte on a socket, for requests no well-behaved client sends: bad
 * percent-encoding, {@code ..} in a path, invalid UTF-8, headers past the server's limit. Each request
 * closes its connection, so the answer ends where the stream does.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
    public static Answer exchange(int port, String head, byte[] body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String lengthHeader = body.length > 0 ? "\r\nContent-Length: " + body.length : "";
            byte[] request = (head + lengthHeader + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.write(body);
                out.flush();
            } catch (IOException closedEarly) {
                // the server answered and closed before reading all of it (headers too large): read its answer
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Answer exchange(int port, String head) {
        return exchange(port, head, new byte[0]);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (IOException resetAfterAnswer) {
            // the server may reset the connection once it has answered a request it refused
        }
        return all.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"))) {
            body = unchunk(body);
        }
        return new Answer(status, body, headers);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .map(e -> e.getValue().get(0)).orElse(null);
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            byte[] rest = chunked.substring(lineEnd + 2).getBytes(StandardCharsets.UTF_8);
            String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
            body.append(chunk);
            at = lineEnd + 2 + chunk.length() + 2;
        }
        return body.toString();
    }
}
