package bench.flowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.flowable.common.engine.impl.history.HistoryLevel;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.TaskService;
import org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.flowable.task.api.Task;

/**
 * The Flowable peer of bench:throughput (issue 23, item 6): the Flowable 7 engine embedded in this JVM on the bench
 * Postgres, in a database of its own, with the start of the listing procedure as a BPMN process (listing.bpmn20.xml:
 * "serve notice", then "submit statement" under a 10-day timer). Measured as bench:throughput measures our API:
 *
 * <ol>
 *   <li>Process starts per second, closed loop at --start-clients threads (1, 8, 32) for --seconds after
 *       --warmup-seconds; a start counts when it returns inside the window. CPU per start over the window: this JVM's
 *       process CPU and the Postgres cluster's (postmaster subtree, /proc), divided by the starts in the window.
 *   <li>Latency of completing the first task ("serve notice") at --task-clients threads (1, 16), --n per level after
 *       --warmup, each on a process of its own started beforehand (not timed). The timed operation is what an API
 *       handed a case id would do: find the instance's "serve notice" task and complete it with two variables; that
 *       creates the "submit statement" task and the window's timer job.
 * </ol>
 *
 * Before the levels, --jvm-warmup-seconds (20) of both operations at 8 threads. CPU is metered per window: the JVM's
 * (with the share its JIT compiler threads took) and the Postgres cluster's.
 *
 * <p>Writes flowable-&lt;Shanghai date&gt;.json and flowable-latest.json into --results-dir. Run by
 * bench/flowable.bench.ts (`npm run bench:flowable`), which brings up Postgres and builds this program.
 */
public final class FlowablePeer {
  private static final String PROCESS_KEY = "listing";
  private static final String FIRST_TASK = "serveNotice";

  private final Map<String, String> args;
  private final ProcessEngine engine;
  private final RuntimeService runtime;
  private final TaskService tasks;
  private final CpuMeter cpu;

  private FlowablePeer(Map<String, String> args, ProcessEngine engine, CpuMeter cpu) {
    this.args = args;
    this.engine = engine;
    this.runtime = engine.getRuntimeService();
    this.tasks = engine.getTaskService();
    this.cpu = cpu;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parseArgs(argv);
    List<Integer> startClients = intList(args.getOrDefault("start-clients", "1,8,32"));
    List<Integer> taskClients = intList(args.getOrDefault("task-clients", "1,16"));
    int maxClients = Math.max(Collections.max(startClients), Collections.max(taskClients));
    // One connection per client thread and some for the async executor (timers): the pool is not what is measured.
    int pool = Integer.parseInt(args.getOrDefault("pool", String.valueOf(maxClients + 8)));

    ProcessEngineConfiguration cfg = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
        .setJdbcUrl(required(args, "jdbc-url"))
        .setJdbcUsername(args.getOrDefault("jdbc-user", "app"))
        .setJdbcPassword(args.getOrDefault("jdbc-password", "app"))
        .setJdbcDriver("org.postgresql.Driver")
        .setJdbcMaxActiveConnections(pool)
        .setJdbcMaxIdleConnections(pool)
        .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    // As a deployment runs it: the async executor on (it fires the statement window's timers) and the default
    // history level, audit (historic process instances, tasks and variables written beside the runtime rows).
    cfg.setAsyncExecutorActivate(true);
    cfg.setHistoryLevel(HistoryLevel.AUDIT);

    long t0 = System.nanoTime();
    ProcessEngine engine = cfg.buildProcessEngine();
    log(String.format("engine %s up in %.1f s (pool %d connections)", ProcessEngine.class.getPackage().getImplementationVersion(),
        (System.nanoTime() - t0) / 1e9, pool));
    try {
      String pid = args.get("postmaster-pid");
      FlowablePeer peer = new FlowablePeer(args, engine, new CpuMeter(pid == null ? null : Integer.valueOf(pid)));
      peer.run(startClients, taskClients, pool);
    } finally {
      engine.close();
    }
  }

  private void run(List<Integer> startClients, List<Integer> taskClients, int pool) throws Exception {
    int seconds = positive("seconds", 15);
    int warmupSeconds = positive("warmup-seconds", 3);
    int n = positive("n", 200);
    int warmup = positive("warmup", 20);
    int jvmWarmupSeconds = positive("jvm-warmup-seconds", 20);

    engine.getRepositoryService().createDeployment().name("listing").addClasspathResource("listing.bpmn20.xml").deploy();

    // Both paths first, at 8 threads: classes loaded, connections open, and the JIT through most of the engine's hot
    // code (on two shared cores it takes minutes to settle; each window reports the JIT's share of its CPU).
    log(String.format("warming up the JVM: %d s of starts and first tasks at 8 threads", jvmWarmupSeconds));
    long warmUntil = System.nanoTime() + jvmWarmupSeconds * 1_000_000_000L;
    var warmErrors = new Errors();
    List<Thread> warmers = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      warmers.add(started("warm-" + c, () -> {
        while (System.nanoTime() < warmUntil) {
          try {
            completeFirstTask(startProcess());
          } catch (RuntimeException err) {
            warmErrors.add(err);
          }
        }
      }));
    }
    for (Thread t : warmers) t.join();
    if (warmErrors.count.get() > 0) log("warm-up errors: " + warmErrors.count.get() + ", e.g. " + warmErrors.samples);

    List<Map<String, Object>> startLevels = new ArrayList<>();
    for (int clients : startClients) {
      log(String.format("1. process starts at %d thread(s): %d s warm-up + %d s", clients, warmupSeconds, seconds));
      Map<String, Object> level = startThroughput(clients, warmupSeconds, seconds);
      startLevels.add(level);
      log(String.format("   %s starts/s, CPU per start %s ms (JVM %s + Postgres %s)", level.get("ratePerSecond"),
          level.get("cpuMsPerStart"), level.get("jvmCpuMsPerStart"), level.get("postgresCpuMsPerStart")));
    }

    List<Map<String, Object>> taskLevels = new ArrayList<>();
    for (int clients : taskClients) {
      log(String.format("2. completing \"serve notice\" at %d thread(s): starting %d processes (not timed)", clients, n + warmup));
      List<String> ids = startMany(n + warmup);
      runOverItems(clients, ids.subList(0, warmup), this::completeFirstTask);
      CpuMeter.Reading from = cpu.read();
      Map<String, Object> level = runOverItems(clients, ids.subList(warmup, ids.size()), this::completeFirstTask);
      CpuMeter.Reading used = cpu.read().minus(from);
      level.put("clients", clients);
      putCpu(level, used, n - (int) level.get("errors"), "PerCompletion");
      taskLevels.add(level);
      @SuppressWarnings("unchecked")
      Map<String, Object> lat = (Map<String, Object>) level.get("latency");
      log(String.format("   p50 %s ms, p99 %s ms, CPU per completion %s ms", lat.get("p50"), lat.get("p99"), level.get("cpuMsPerCompletion")));
    }

    long open = runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY).count();
    long timers = engine.getManagementService().createTimerJobQuery().count();

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "flowable");
    report.put("at", Instant.now().toString());
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("startClients", startClients);
    options.put("seconds", seconds);
    options.put("warmupSeconds", warmupSeconds);
    options.put("taskClients", taskClients);
    options.put("n", n);
    options.put("warmup", warmup);
    options.put("jvmWarmupSeconds", jvmWarmupSeconds);
    options.put("pool", pool);
    report.put("options", options);
    ProcessEngineConfigurationImpl impl = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    Map<String, Object> eng = new LinkedHashMap<>();
    eng.put("flowable", ProcessEngine.class.getPackage().getImplementationVersion());
    eng.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    eng.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1 << 20));
    eng.put("historyLevel", impl.getHistoryLevel().getKey());
    eng.put("idGenerator", impl.getIdGenerator().getClass().getSimpleName());
    eng.put("asyncExecutor", impl.isAsyncExecutorActivate());
    eng.put("jdbcPool", pool);
    eng.put("database", impl.getJdbcUrl().replaceAll("//[^@/]*@", "//"));
    report.put("engine", eng);
    report.put("process", "start → user task \"serve notice\" → user task \"submit statement\" with a P10D timer boundary event → end "
        + "(bench/peers/flowable/src/main/resources/listing.bpmn20.xml); 4 process variables at start, 2 at completion");
    report.put("method", "Closed-loop client threads in the engine's JVM (embedded engine, no HTTP). Starts: "
        + "runtimeService.startProcessInstanceByKey with a business key and 4 variables; a start counts when it returns inside the "
        + "window. First task: a task query by process instance and task key, then taskService.complete with 2 variables. "
        + "CPU: the JVM's process CPU (OperatingSystemMXBean) and the Postgres cluster's (postmaster subtree from /proc, "
        + "as bench/lib/cpu.ts), over the measured window, divided by the operations completed in it; jitCpuMs* is the part of "
        + "the JVM's that its JIT compiler threads took (a long-running server's steady state has next to none).");
    report.put("startThroughput", startLevels);
    report.put("firstTaskLatency", taskLevels);
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("openProcessInstances", open);
    end.put("timerJobs", timers);
    report.put("end", end);

    printSummary(startLevels, taskLevels);
    writeResults(report);
  }

  // ---- the operations ----

  private String startProcess() {
    String caseId = UUID.randomUUID().toString();
    Map<String, Object> vars = new HashMap<>();
    vars.put("caseId", caseId);
    vars.put("subjectCode", "91" + Long.toString(Math.abs(caseId.hashCode()), 36).toUpperCase());
    vars.put("departmentId", "dept-market-regulation");
    vars.put("category", "art45-2");
    return runtime.startProcessInstanceByKey(PROCESS_KEY, caseId, vars).getId();
  }

  private void completeFirstTask(String processInstanceId) {
    Task task = tasks.createTaskQuery().processInstanceId(processInstanceId).taskDefinitionKey(FIRST_TASK).singleResult();
    if (task == null) throw new IllegalStateException("no serve notice task on " + processInstanceId);
    Map<String, Object> vars = new HashMap<>();
    vars.put("servedOn", LocalDate.now(ZoneId.of("Asia/Shanghai")).toString());
    vars.put("serviceMethod", "electronic");
    tasks.complete(task.getId(), vars);
  }

  // ---- load shapes ----

  private Map<String, Object> startThroughput(int clients, int warmupSeconds, int seconds) throws InterruptedException {
    long t0 = System.nanoTime();
    long from = t0 + warmupSeconds * 1_000_000_000L;
    long until = from + seconds * 1_000_000_000L;
    var latencies = new ConcurrentLinkedQueue<Double>();
    var errors = new Errors();
    var total = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(started("start-" + c, () -> {
        while (System.nanoTime() < until) {
          long s = System.nanoTime();
          try {
            startProcess();
            long e = System.nanoTime();
            total.incrementAndGet();
            if (e >= from && e <= until) latencies.add((e - s) / 1e6);
          } catch (RuntimeException err) {
            errors.add(err);
          }
        }
      }));
    }
    // CPU over the measured window only: read at its two ends.
    sleepUntil(from);
    CpuMeter.Reading base = cpu.read();
    sleepUntil(until);
    CpuMeter.Reading used = cpu.read().minus(base);
    for (Thread t : threads) t.join();

    int completed = latencies.size();
    Map<String, Object> level = new LinkedHashMap<>();
    level.put("clients", clients);
    level.put("ratePerSecond", round1(completed / (double) seconds));
    level.put("completed", completed);
    level.put("totalCompleted", total.get());
    level.put("latency", stats(new ArrayList<>(latencies)));
    errors.putInto(level);
    putCpu(level, used, completed, "PerStart");
    return level;
  }

  /** Each item once, `clients` threads at a time (as bench/lib/load.ts runOverItems). */
  private static Map<String, Object> runOverItems(int clients, List<String> items, Consumer<String> op) throws InterruptedException {
    var latencies = new ConcurrentLinkedQueue<Double>();
    var errors = new Errors();
    var next = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < Math.min(clients, items.size()); c++) {
      threads.add(started("op-" + c, () -> {
        for (int i; (i = next.getAndIncrement()) < items.size(); ) {
          long s = System.nanoTime();
          try {
            op.accept(items.get(i));
            latencies.add((System.nanoTime() - s) / 1e6);
          } catch (RuntimeException err) {
            errors.add(err);
          }
        }
      }));
    }
    for (Thread t : threads) t.join();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("latency", stats(new ArrayList<>(latencies)));
    out.put("wallMs", Math.round((System.nanoTime() - t0) / 1e6));
    errors.putInto(out);
    return out;
  }

  private List<String> startMany(int count) throws InterruptedException {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    List<String> slots = Collections.nCopies(count, "");
    Map<String, Object> r = runOverItems(8, slots, x -> ids.add(startProcess()));
    if ((int) r.get("errors") > 0) throw new IllegalStateException("starting the processes failed: " + r.get("errorSamples"));
    return new ArrayList<>(ids);
  }

  private static final class Errors {
    private final AtomicInteger count = new AtomicInteger();
    private final List<String> samples = Collections.synchronizedList(new ArrayList<>());

    void add(RuntimeException err) {
      count.incrementAndGet();
      if (samples.size() < 5) samples.add(err.getClass().getSimpleName() + ": " + err.getMessage());
    }

    void putInto(Map<String, Object> level) {
      level.put("errors", count.get());
      level.put("errorSamples", new ArrayList<>(samples));
    }
  }

  // ---- figures ----

  /** CPU ms per operation and cores busy, JVM and Postgres, over a measured stretch. */
  private static void putCpu(Map<String, Object> level, CpuMeter.Reading used, int ops, String per) {
    double wall = used.wallSeconds();
    Double pg = Double.isNaN(used.postgresSeconds()) ? null : used.postgresSeconds();
    level.put("jvmCpuMs" + per, ops > 0 ? round2(used.jvmSeconds() * 1000 / ops) : null);
    level.put("postgresCpuMs" + per, pg != null && ops > 0 ? round2(pg * 1000 / ops) : null);
    level.put("cpuMs" + per, pg != null && ops > 0 ? round2((used.jvmSeconds() + pg) * 1000 / ops) : null);
    level.put("jitCpuMs" + per, ops > 0 && !Double.isNaN(used.jitSeconds()) ? round2(used.jitSeconds() * 1000 / ops) : null);
    Map<String, Object> cores = new LinkedHashMap<>();
    cores.put("jvm", round2(used.jvmSeconds() / wall));
    cores.put("jit", Double.isNaN(used.jitSeconds()) ? null : round2(used.jitSeconds() / wall));
    cores.put("postgres", pg == null ? null : round2(pg / wall));
    level.put("cores", cores);
  }

  /** Nearest-rank percentiles, as bench/lib/measure.ts stats(). */
  private static Map<String, Object> stats(List<Double> samples) {
    Collections.sort(samples);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", samples.size());
    for (double p : new double[] {0.5, 0.9, 0.99}) out.put("p" + Math.round(p * 100), percentile(samples, p));
    out.put("mean", samples.isEmpty() ? null : round2(samples.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    out.put("min", samples.isEmpty() ? null : round2(samples.get(0)));
    out.put("max", samples.isEmpty() ? null : round2(samples.get(samples.size() - 1)));
    return out;
  }

  private static Double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) return null;
    int rank = Math.max(1, (int) Math.ceil(p * sorted.size()));
    return round2(sorted.get(Math.min(rank, sorted.size()) - 1));
  }

  @SuppressWarnings("unchecked")
  private static void printSummary(List<Map<String, Object>> starts, List<Map<String, Object>> firsts) {
    System.out.println();
    System.out.println("Flowable process starts (closed loop; CPU ms per start over the window)");
    System.out.printf("%8s %10s %8s %8s %7s %10s %10s %10s %16s%n", "threads", "starts/s", "p50 ms", "p99 ms", "errors", "CPU ms",
        "JVM ms", "PG ms", "cores JVM / PG");
    for (var l : starts) {
      var lat = (Map<String, Object>) l.get("latency");
      var cores = (Map<String, Object>) l.get("cores");
      System.out.printf("%8s %10s %8s %8s %7s %10s %10s %10s %16s%n", l.get("clients"), l.get("ratePerSecond"), lat.get("p50"),
          lat.get("p99"), l.get("errors"), l.get("cpuMsPerStart"), l.get("jvmCpuMsPerStart"), l.get("postgresCpuMsPerStart"),
          cores.get("jvm") + " / " + cores.get("postgres"));
    }
    System.out.println();
    System.out.println("Completing \"serve notice\" (task query + complete; ms)");
    System.out.printf("%8s %6s %8s %8s %8s %7s %10s%n", "threads", "n", "p50", "p90", "p99", "errors", "CPU ms");
    for (var l : firsts) {
      var lat = (Map<String, Object>) l.get("latency");
      System.out.printf("%8s %6s %8s %8s %8s %7s %10s%n", l.get("clients"), lat.get("n"), lat.get("p50"), lat.get("p90"),
          lat.get("p99"), l.get("errors"), l.get("cpuMsPerCompletion"));
    }
    System.out.println();
  }

  private void writeResults(Map<String, Object> report) throws IOException {
    Path dir = Path.of(args.getOrDefault("results-dir", "bench/results"));
    Files.createDirectories(dir);
    String day = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = json.writeValueAsString(report) + "\n";
    for (String name : List.of("flowable-" + day + ".json", "flowable-latest.json")) {
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log("wrote " + dir.resolve(name));
    }
  }

  // ---- small helpers ----

  private static Thread started(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.start();
    return t;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long ms = (nanoTime - System.nanoTime()) / 1_000_000;
    if (ms > 0) Thread.sleep(ms);
  }

  private static double round1(double x) {
    return Math.round(x * 10) / 10.0;
  }

  private static double round2(double x) {
    return Math.round(x * 100) / 100.0;
  }

  private static void log(String line) {
    System.err.println("[flowable] " + line);
  }

  private int positive(String name, int dflt) {
    int v = Integer.parseInt(args.getOrDefault(name, String.valueOf(dflt)));
    if (v < 1) throw new IllegalArgumentException("--" + name + " must be a positive integer");
    return v;
  }

  private static String required(Map<String, String> args, String name) {
    String v = args.get(name);
    if (v == null) throw new IllegalArgumentException("--" + name + " is required");
    return v;
  }

  private static List<Integer> intList(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  private static final List<String> KNOWN = List.of("jdbc-url", "jdbc-user", "jdbc-password", "postmaster-pid", "start-clients",
      "seconds", "warmup-seconds", "task-clients", "n", "warmup", "pool", "results-dir", "jvm-warmup-seconds");

  /** `--name value` pairs; an unknown option is refused. */
  private static Map<String, String> parseArgs(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("expected --name value, got " + a);
      String name = a.substring(2);
      if (!KNOWN.contains(name)) throw new IllegalArgumentException("unknown option " + a + " (known: --" + String.join(", --", KNOWN) + ")");
      out.put(name, argv[++i]);
    }
    return out;
  }
}
