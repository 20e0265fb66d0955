package jp.tsunagu.platform.crawl;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * One GET as the crawler makes it: no automatic redirects (the crawler follows them itself, each
 * one checked), a size limit on the body (a response that keeps coming is cut off), a time limit on
 * the whole exchange, and the validators of a conditional GET.
 */
final class HttpFetcher {
  /** A response: its status, headers and the body read so far (complete unless refused). */
  record Response(int status, MultiMap headers, Buffer body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** A fetch that did not produce a usable response; the message is the report's reason. */
  static final class FetchFailed extends RuntimeException {
    FetchFailed(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final long maxBytes;
  private final long timeoutMillis;
  private final String userAgent;

  HttpFetcher(Vertx vertx, long maxBytes, long timeoutMillis, String userAgent) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) Math.min(timeoutMillis, 10_000))
        .setKeepAlive(true).setDecompressionSupported(true));
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
    this.userAgent = userAgent;
  }

  /** GET the URL; {@code etag} and {@code lastModified} (either may be null) make it conditional. */
  Future<Response> get(String url, String etag, String lastModified) {
    RequestOptions options;
    try {
      options = new RequestOptions().setAbsoluteURI(URI.create(url).toURL()).setMethod(HttpMethod.GET)
          .setFollowRedirects(false).setIdleTimeout(timeoutMillis)
          .putHeader("User-Agent", userAgent)
          .putHeader("Accept", "text/html,application/xhtml+xml,application/xml,application/rss+xml,application/atom+xml,text/plain;q=0.8,*/*;q=0.5");
      if (etag != null) {
        options.putHeader("If-None-Match", etag);
      }
      if (lastModified != null) {
        options.putHeader("If-Modified-Since", lastModified);
      }
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      return Future.failedFuture(new FetchFailed("not a valid address"));
    }
    Promise<Response> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> result.tryFail(new FetchFailed("no complete answer within " + timeoutMillis + " ms")));
    client.request(options)
        .compose(request -> {
          result.future().onFailure(err -> request.reset());
          return request.send().onSuccess(response -> read(request, response, result));
        })
        .onFailure(err -> result.tryFail(err instanceof FetchFailed ? err : new FetchFailed("cannot connect: " + reason(err))));
    return result.future().eventually(() -> {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    });
  }

  private void read(HttpClientRequest request, HttpClientResponse response, Promise<Response> result) {
    String length = response.getHeader("Content-Length");
    if (length != null && length.matches("[0-9]{1,18}") && Long.parseLong(length) > maxBytes) {
      result.tryFail(new FetchFailed("larger than " + maxBytes + " bytes"));
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        result.tryFail(new FetchFailed("larger than " + maxBytes + " bytes"));
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(err -> result.tryFail(new FetchFailed("the answer broke off: " + reason(err))));
    response.endHandler(v -> result.tryComplete(new Response(response.statusCode(), response.headers(), body)));
  }

  Future<Void> close() {
    return client.close();
  }

  private static String reason(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }
}
