/**
 * Steward's reference admin server. Start with `npm run server` (tsx server/main.ts); all
 * configuration comes from the environment (server/README.md).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadBuiltInCategories } from '../rules/load.ts';
import { bootstrapAccounts, createHandler, recordAudit } from './app.ts';
import { type Asset, buildAssets } from './assets.ts';
import { configFromEnv } from './config.ts';
import { startEventPruner } from './events.ts';
import { ManagedLists } from './lists.ts';
import { flushLogs, log, setLogging } from './log.ts';
import { setPasswordCost } from './passwords.ts';
import { AccessRequests } from './requests.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/types.ts';

async function main(): Promise<void> {
  const config = configFromEnv();
  setLogging(config.log);
  setPasswordCost(config.passwordCost);
  const store: Store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, config.pgPoolSize)
    : openSqliteStore(config.dataDir);
  await store.migrate();
  const bootstrapped = await bootstrapAccounts(store, config);
  const accounts = (await store.accounts()).length;
  // Detailed events older than the retention period are deleted now and every hour.
  startEventPruner(store, (err) =>
    log({ level: 'error', msg: 'event pruning failed', error: (err as Error).message }),
  );

  let assets: Map<string, Asset> | null = null;
  try {
    assets = await buildAssets();
  } catch (err) {
    // Reports must still be accepted when the dashboard cannot be built.
    log({ level: 'error', msg: 'dashboard build failed', error: (err as Error).message });
  }

  const requests = new AccessRequests(config.dataDir);
  let lists: ManagedLists | null = null;
  if (!config.ruleListPath) {
    lists = new ManagedLists({
      dataDir: config.dataDir,
      signing: config.ruleListSigning,
      publicKey: config.ruleListPublicKey,
      builtIns: loadBuiltInCategories().lists,
      onPublished: (entry, source) => requests.published(entry, source),
    });
    await lists.init();
  }

  const server = http.createServer(createHandler({ config, store, assets, lists, requests }));
  // Slow or stalled clients must not hold connections for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  // Longer than a typical load balancer's idle timeout, so the balancer closes first.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const warnings: string[] = [];
  if (config.reportTokens.length === 0)
    warnings.push('STEWARD_REPORT_TOKENS is empty: no reports will be accepted');
  if (accounts === 0)
    warnings.push(
      'there is no admin account: set STEWARD_ADMIN_PASSWORD once to make the first IT account',
    );
  else if (config.adminPassword && !bootstrapped)
    warnings.push(
      'STEWARD_ADMIN_PASSWORD is no longer read (accounts exist); remove it from the environment',
    );
  log({
    level: 'info',
    msg: 'listening',
    url: `http://${host}:${address.port}`,
    port: address.port,
    store: store.kind,
    dataDir: store.kind === 'sqlite' ? config.dataDir : undefined,
    ruleList: config.ruleListPath ?? `managed (${config.ruleListSigning} signing)`,
    warnings,
  });
  flushLogs();

  // Retention: old batch ids, installations that stopped reporting, expired sessions.
  const retention = {
    batchDays: config.retainBatchDays,
    installationDays: config.retainInstallationDays,
  };
  const prune = async () => {
    try {
      const removed = await store.prune(Date.now(), retention);
      log({ level: 'info', msg: 'pruned', ...removed });
      if (removed.installations > 0) {
        await recordAudit(
          store,
          'system',
          'retention.prune',
          `${removed.installations} installations`,
          `not seen for ${config.retainInstallationDays} days; ${removed.batches} batch ids older than ${config.retainBatchDays} days`,
        );
      }
    } catch (err) {
      log({ level: 'error', msg: 'pruning failed', error: (err as Error).message });
    }
  };
  void prune();
  const pruneTimer = setInterval(prune, config.pruneIntervalMinutes * 60_000);
  pruneTimer.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    clearInterval(pruneTimer);
    server.close(() => {
      store
        .close()
        .catch(() => {})
        .finally(() => {
          log({ level: 'info', msg: 'stopped', signal });
          flushLogs();
          process.exit(0);
        });
    });
    server.closeIdleConnections();
    // In-flight requests get a few seconds; clients resend anything not acknowledged.
    setTimeout(() => {
      flushLogs();
      process.exit(0);
    }, 5000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  log({ level: 'error', msg: 'could not start', error: (err as Error)?.message ?? String(err) });
  flushLogs();
  process.exit(1);
});
