package jp.tsunagu.platform.web;

import static jp.tsunagu.platform.web.Forms.field;

import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import jp.tsunagu.platform.notify.EmailChannel;

/**
 * The pages notice mails link to. Opening a link changes nothing (mail scanners open links):
 * the page asks, and only its form's POST confirms the opt-in or unsubscribes. The unsubscribe
 * URL also takes the RFC 8058 one-click POST ({@code List-Unsubscribe=One-Click}) that mail
 * programs send without a session, which is why that one route needs no form token: the token in
 * its URL is the authority.
 */
final class NoticeMailPages {
  private final EmailChannel email;
  private final View view;

  NoticeMailPages(EmailChannel email, View view) {
    this.email = email;
    this.view = view;
  }

  void confirmForm(RoutingContext ctx) {
    view.render(ctx, "notices/ask", Map.of("action", "/notices/email/confirm", "token", ctx.request().getParam("token", ""),
        "heading", "notices.confirm.title", "text", "notices.confirm.text", "button", "notices.confirm.submit"));
  }

  void confirm(RoutingContext ctx) {
    email.confirm(field(ctx, "token"))
        .onSuccess(v -> view.render(ctx, "notices/done", Map.of("heading", "notices.confirm.title", "text", "notices.confirm.done")))
        .onFailure(err -> Forms.refused(ctx, err, p -> view.render(ctx, p.status(), "notices/done",
            Map.of("heading", "notices.confirm.title", "problem", p))));
  }

  void unsubscribeForm(RoutingContext ctx) {
    view.render(ctx, "notices/ask", Map.of("action", "/notices/unsubscribe", "token", ctx.request().getParam("token", ""),
        "oneClick", true, "heading", "notices.unsubscribe.title", "text", "notices.unsubscribe.text",
        "button", "notices.unsubscribe.submit"));
  }

  /** RFC 8058: a POST of {@code List-Unsubscribe=One-Click} to the link's URL, from a mail program or from the page. */
  void unsubscribe(RoutingContext ctx) {
    if (!"One-Click".equals(field(ctx, "List-Unsubscribe"))) {
      ctx.fail(jp.tsunagu.platform.http.ProblemException.badRequest("invalid-request", "Expected List-Unsubscribe=One-Click"));
      return;
    }
    email.unsubscribe(ctx.request().getParam("token", ""))
        .onSuccess(v -> view.render(ctx, "notices/done", Map.of("heading", "notices.unsubscribe.title", "text", "notices.unsubscribe.done")))
        .onFailure(err -> Forms.refused(ctx, err, p -> view.render(ctx, p.status(), "notices/done",
            Map.of("heading", "notices.unsubscribe.title", "problem", p))));
  }
}
