package jp.tsunagu.platform.crawl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagu.platform.testing.Fixtures;

/**
 * A municipal web site on loopback for the crawler: robots rules, a sitemap and feeds with
 * validators, pages in UTF-8 and Shift_JIS, and every bad case a crawler meets (redirect loop, an
 * answer that never ends, a 404, an image, a page without a title, a malformed and an endless feed).
 */
final class TestSite implements AutoCloseable {
  static final String LAST_MODIFIED = "Mon, 03 Nov 2025 01:00:00 GMT";

  final Vertx vertx = Vertx.vertx();
  final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> agents = new ConcurrentLinkedQueue<>();
  final AtomicInteger notModified = new AtomicInteger();
  final AtomicInteger sitemapVersion = new AtomicInteger(1);
  /** Paths that /district.xml lists, and how it answers: list, error (503), empty, truncated or index (a nested sitemap gone). */
  final AtomicReference<List<String>> districtPages = new AtomicReference<>(List.of());
  final AtomicReference<String> districtMode = new AtomicReference<>("list");
  private final HttpServer server;

  TestSite() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      requests.add(ctx.request().path());
      times.add(System.nanoTime());
      agents.add(String.valueOf(ctx.request().getHeader("User-Agent")));
      ctx.next();
    });
    router.get("/robots.txt").handler(ctx -> text(ctx, "text/plain", "User-agent: *\nDisallow: /private/\n"));
    router.get("/sitemap.xml").handler(this::sitemap);
    router.get("/a.html").handler(ctx -> {
      if ("\"a1\"".equals(ctx.request().getHeader("If-None-Match"))) {
        notModified.incrementAndGet();
        ctx.response().setStatusCode(304).end();
        return;
      }
      ctx.response().putHeader("ETag", "\"a1\"");
      html(ctx, "<html><head><title>子ども医療費助成</title><meta name=\"description\" content=\"中学生までの医療費を助成します\"></head>"
          + "<body><nav>メニュー</nav><main><h1>子ども医療費助成</h1><p>通院と入院の医療費を助成します。</p></main></body></html>");
    });
    router.get("/b.html").handler(ctx -> {
      if (LAST_MODIFIED.equals(ctx.request().getHeader("If-Modified-Since"))) {
        notModified.incrementAndGet();
        ctx.response().setStatusCode(304).end();
        return;
      }
      String page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
          + "<title>ごみ収集カレンダー</title></head><body><div id=\"contents\"><p>燃やすごみは火曜日と金曜日に収集します。</p></div></body></html>";
      ctx.response().putHeader("Content-Type", "text/html").putHeader("Last-Modified", LAST_MODIFIED)
          .end(Buffer.buffer(page.getBytes(Charset.forName("Shift_JIS"))));
    });
    router.get("/private/secret.html").handler(ctx -> html(ctx, "<title>内部資料</title>"));
    router.get("/loop.html").handler(ctx -> redirect(ctx, "/loop2.html"));
    router.get("/loop2.html").handler(ctx -> redirect(ctx, "loop.html"));
    router.get("/redirected.html").handler(ctx -> redirect(ctx, "/jidou-teate.html"));
    router.get("/jidou-teate.html").handler(ctx -> html(ctx, "<title>児童手当</title><p>児童手当の申請方法です。</p>"));
    router.get("/big.html").handler(ctx -> endless(ctx, "text/html", "<html><body>", "<p>まだまだ続きます。</p>"));
    router.get("/logo.png").handler(ctx -> ctx.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    router.get("/notitle.html").handler(ctx -> html(ctx, "<html><body><p>本文だけのページ</p></body></html>"));
    router.get("/news/:n").handler(ctx -> html(ctx, "<title>お知らせ" + ctx.pathParam("n").replace(".html", "")
        + "号：防災訓練</title><p>地域の防災訓練のお知らせです。</p>"));
    router.get("/district.xml").handler(this::districtSitemap);
    router.get("/district-part.xml").handler(ctx -> text(ctx, "application/xml", urlset(districtPages.get())));
    router.get("/district/:n").handler(ctx -> html(ctx, "<title>地区だより" + ctx.pathParam("n").replace(".html", "")
        + "号</title><p>地区の回覧板と清掃活動のお知らせです。</p>"));
    router.get("/feed.xml").handler(ctx -> text(ctx, "application/rss+xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>島田市 新着情報</title><link>%1$s/</link>
        <item><title>お知らせ1号</title><link>%1$s/news/1.html</link><pubDate>Tue, 04 Nov 2025 09:00:00 +0900</pubDate></item>
        <item><title>お知らせ2号</title><link>%1$s/news/2.html</link><description>二号の概要</description></item>
        </channel></rss>""".formatted(base())));
    router.get("/atom.xml").handler(ctx -> text(ctx, "application/atom+xml", """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>島田市</title><link href="%1$s/"/>
        <entry><title>お知らせ3号</title><link rel="alternate" href="%1$s/news/3.html"/><updated>2025-11-05T10:00:00+09:00</updated></entry>
        </feed>""".formatted(base())));
    router.get("/endless.xml").handler(ctx -> endless(ctx, "application/rss+xml", "<rss><channel>",
        "<item><title>終わらない</title><link>" + base() + "/news/9.html</link></item>"));
    router.get("/broken.xml").handler(ctx -> text(ctx, "application/rss+xml", "<rss><channel><item><link>" + base() + "/news/1.html</link></item>"));
    router.get("/doctype.xml").handler(ctx -> text(ctx, "application/xml", "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<urlset><url><loc>&x;</loc></url></urlset>"));
    server = Fixtures.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  String base() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  List<String> paths() {
    return List.copyOf(requests);
  }

  private void sitemap(RoutingContext ctx) {
    String etag = "\"s" + sitemapVersion.get() + "\"";
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      notModified.incrementAndGet();
      ctx.response().setStatusCode(304).end();
      return;
    }
    StringBuilder urls = new StringBuilder();
    for (String p : List.of("/a.html", "/b.html", "/private/secret.html", "/loop.html", "/big.html", "/missing.html",
        "/logo.png", "/redirected.html", "/notitle.html")) {
      urls.append("<url><loc>").append(base()).append(p).append("</loc><lastmod>2025-11-01</lastmod></url>");
    }
    urls.append("<url><loc>http://localhost:").append(server.actualPort()).append("/other.html</loc></url>");
    ctx.response().putHeader("ETag", etag);
    text(ctx, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        + urls + "</urlset>");
  }

  private void districtSitemap(RoutingContext ctx) {
    switch (districtMode.get()) {
      case "error" -> ctx.response().setStatusCode(503).end();
      case "empty" -> text(ctx, "application/xml", urlset(List.of()));
      case "truncated" -> text(ctx, "application/xml", urlset(districtPages.get()).replace("</urlset>", "<url><loc>"));
      case "index" -> text(ctx, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
          + "<sitemap><loc>" + base() + "/district-part.xml</loc></sitemap>"
          + "<sitemap><loc>" + base() + "/district-gone.xml</loc></sitemap></sitemapindex>");
      default -> text(ctx, "application/xml", urlset(districtPages.get()));
    }
  }

  private String urlset(List<String> paths) {
    StringBuilder urls = new StringBuilder();
    for (String p : paths) {
      urls.append("<url><loc>").append(base()).append(p).append("</loc></url>");
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        + urls + "</urlset>";
  }

  private static void html(RoutingContext ctx, String html) {
    text(ctx, "text/html; charset=utf-8", html);
  }

  private static void text(RoutingContext ctx, String type, String body) {
    ctx.response().putHeader("Content-Type", type).end(body);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader("Location", location).end();
  }

  /** Starts an answer and keeps sending until the client goes away. */
  private void endless(RoutingContext ctx, String type, String head, String repeated) {
    HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type", type);
    response.write(head);
    long timer = vertx.setPeriodic(2, t -> {
      if (!response.closed() && !response.ended()) {
        response.write(repeated.repeat(20));
      }
    });
    response.closeHandler(v -> vertx.cancelTimer(timer));
    ctx.request().connection().closeHandler(v -> vertx.cancelTimer(timer));
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
