package jp.tsunagu.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.tsunagu.consent.ConsentModule;
import jp.tsunagu.platform.account.AccountService;
import jp.tsunagu.platform.circular.CircularService;
import jp.tsunagu.platform.audit.AuditLog;
import jp.tsunagu.platform.config.TsunaguConfig;
import jp.tsunagu.platform.http.Auth;
import jp.tsunagu.platform.mail.MailOutbox;
import jp.tsunagu.platform.ratelimit.RateLimiter;
import jp.tsunagu.platform.residence.ResidenceService;
import jp.tsunagu.platform.security.PasswordHasher;
import jp.tsunagu.platform.staff.StaffService;
import jp.tsunagu.platform.tenant.TenantService;

/** The node's domain services, built once and shared by every HTTP verticle instance. */
public record Services(
    TsunaguConfig config,
    Pool pool,
    PrometheusMeterRegistry metrics,
    AtomicBoolean migrated,
    PasswordHasher hasher,
    RateLimiter limiter,
    AuditLog audit,
    MailOutbox outbox,
    AccountService accounts,
    StaffService staff,
    TenantService tenants,
    ResidenceService residence,
    Auth auth,
    ConsentModule consent,
    CircularService circulars,
    jp.tsunagu.platform.sitesearch.ContentModule content,
    jp.tsunagu.platform.oidc.Oidc oidc,
    jp.tsunagu.platform.notify.NotifyModule delivery) {}
