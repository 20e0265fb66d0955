package jp.tsunagu.platform.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on one keep-alive connection, with blocking sockets: a load driver that costs the
 * machine little, so the node under test has the cores. It speaks what the sign-in pages and the
 * token endpoint answer with (bodies by Content-Length or chunked, Connection: close honoured) and
 * keeps cookies as a browser does for one origin (by name, sent where their Path matches, dropped
 * at Max-Age=0). Bodies are read as UTF-8 text.
 */
final class PlainHttp implements Closeable {
  /** A response: status, headers by lower-case name, and the body. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  private record Cookie(String value, String path) {}

  private final String host;
  private final int port;
  private final boolean keepCookies;
  private final Map<String, Cookie> cookies = new LinkedHashMap<>();
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** A connection to {@code host:port}; {@code keepCookies} false for a server-side caller (the relying party's back end). */
  PlainHttp(String host, int port, boolean keepCookies) {
    this.host = host;
    this.port = port;
    this.keepCookies = keepCookies;
  }

  /** Forgets every cookie (a new browser); the connection stays. */
  void clearCookies() {
    cookies.clear();
  }

  Response get(String target) throws IOException {
    return send("GET", target, null, null, null, null);
  }

  Response postForm(String target, String form, String authorization) throws IOException {
    return send("POST", target, "application/x-www-form-urlencoded", form, authorization, null);
  }

  /** A form post with one more header line ({@code "Name: value"}), such as a DPoP proof. */
  Response postForm(String target, String form, String authorization, String header) throws IOException {
    return send("POST", target, "application/x-www-form-urlencoded", form, authorization, header);
  }

  private Response send(String method, String target, String contentType, String body, String authorization, String header)
      throws IOException {
    boolean reused = socket != null;
    try {
      return attempt(method, target, contentType, body, authorization, header);
    } catch (IOException e) {
      if (!reused) {
        throw e;
      }
      close(); // the server closed the idle connection first: once more on a new one, as browsers do
      return attempt(method, target, contentType, body, authorization, header);
    }
  }

  private Response attempt(String method, String target, String contentType, String body, String authorization, String header)
      throws IOException {
    if (socket == null) {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\nUser-Agent: tsunagu-bench\r\nAccept: text/html,application/json\r\n");
    String path = target.split("\\?", 2)[0];
    StringBuilder cookie = new StringBuilder();
    cookies.forEach((name, c) -> {
      if (path.startsWith(c.path())) {
        cookie.append(cookie.isEmpty() ? "" : "; ").append(name).append('=').append(c.value());
      }
    });
    if (!cookie.isEmpty()) {
      head.append("Cookie: ").append(cookie).append("\r\n");
    }
    if (authorization != null) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (header != null) {
      head.append(header).append("\r\n");
    }
    if (payload != null) {
      head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (payload != null) {
      out.write(payload);
    }
    out.flush();
    return read();
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      close();
      throw new IOException("no HTTP/1.1 response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
    }
    byte[] body;
    List<String> length = headers.get("content-length");
    List<String> transfer = headers.get("transfer-encoding");
    if (transfer != null && transfer.get(0).equalsIgnoreCase("chunked")) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
        all.write(in.readNBytes(size));
        line();
      }
      for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
        // trailers are not used
      }
      body = all.toByteArray();
    } else {
      body = in.readNBytes(length == null ? 0 : Integer.parseInt(length.get(0)));
    }
    if (keepCookies) {
      headers.getOrDefault("set-cookie", List.of()).forEach(this::remember);
    }
    List<String> connection = headers.get("connection");
    if (connection != null && connection.get(0).equalsIgnoreCase("close")) {
      close();
    }
    return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
  }

  private void remember(String setCookie) {
    String[] parts = setCookie.split(";");
    int eq = parts[0].indexOf('=');
    String name = parts[0].substring(0, eq).trim();
    String value = parts[0].substring(eq + 1).trim();
    String path = "/";
    boolean expired = false;
    for (int i = 1; i < parts.length; i++) {
      String a = parts[i].trim();
      String lower = a.toLowerCase(Locale.ROOT);
      if (lower.startsWith("path=")) {
        path = a.substring(5);
      } else if (lower.startsWith("max-age=")) {
        expired = Long.parseLong(a.substring(8)) <= 0;
      }
    }
    if (expired) {
      cookies.remove(name);
    } else {
      cookies.put(name, new Cookie(value, path));
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        byte[] raw = b.toByteArray();
        int n = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        return new String(raw, 0, n, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
