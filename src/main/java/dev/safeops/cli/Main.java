package dev.safeops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code safe-ops} command. Internal: the command line is not part of the library's API, and
 * only this entry point is public.
 */
@Command(name = "safe-ops", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs PostgreSQL migrations so that a missing or already existing object becomes a reported "
                + "skip instead of a failed (or silently emptied) migration.",
        // One line per command: a new command only has to be listed here.
        subcommands = {ApplyCommand.class, VerifyCommand.class, DemoCommand.class, BenchCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done: committed, dry run completed, or every expected object exists",
                "  1  a statement failed (rolled back), or an expected object is missing",
                "  2  usage, connection or input error: nothing was sent"})
public final class Main implements Callable<Integer> {

    /** Committed, dry run completed, or every expected object present. */
    static final int OK = 0;
    /** A statement failed with an error not tolerated, or an expected object is missing. */
    static final int FAILED = 1;
    /** Usage, connection or input error, found before anything was sent. */
    static final int NOT_STARTED = 2;

    private final Map<String, String> environment;
    private final boolean interactive;

    @Spec
    private CommandSpec spec;

    // Read by the ./safe-ops launcher to choose the log level; here it adds detail to the output.
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "More detail: every statement, not only skipped and failed ones, and the library's log.")
    private boolean verbose;

    Main(Map<String, String> environment, boolean interactive) {
        this.environment = Map.copyOf(environment);
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        quietLibraryLog(args);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, System.getenv(), System.console() != null, out, err));
    }

    /**
     * The library logs every skip at WARN, which the command prints itself; so its log goes to
     * standard error at ERROR unless {@code --verbose} asks for it, or the caller configured it.
     */
    private static void quietLibraryLog(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            verbose |= arg.equals("--verbose");
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "error");
        }
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        }
    }

    /** Runs the command line as {@code main} would, with the given environment and output, and returns the exit code. */
    static int run(String[] args, Map<String, String> environment, boolean interactive, PrintWriter out,
                   PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main(environment, interactive))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((exception, command, parseResult) -> {
                    if (exception instanceof CommandException stop) {
                        command.getErr().println("safe-ops: " + stop.getMessage());
                        return stop.exitCode();
                    }
                    throw exception;
                });
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Without a command there is nothing to do: say what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return NOT_STARTED;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Whether a person is watching a terminal, so that progress is worth drawing. */
    boolean interactive() {
        return interactive;
    }

    boolean verbose() {
        return verbose;
    }

    /** safe-ops' version from the build, the pgjdbc on the classpath, and the Java that runs them. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"safe-ops " + safeOpsVersion(), "pgjdbc " + pgjdbcVersion(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                            + System.getProperty("java.vendor") + ")"};
        }

        /** The project version, written into the classes by the build (a filtered resource). */
        static String safeOpsVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing: the command line was not built by Maven");
                }
                properties.load(in);
            }
            return properties.getProperty("version");
        }

        /** Read at run time: the driver's version constant would be compiled into this class. */
        private static String pgjdbcVersion() {
            try {
                return String.valueOf(Class.forName("org.postgresql.util.DriverInfo").getField("DRIVER_VERSION").get(null));
            } catch (ReflectiveOperationException | LinkageError e) {
                return "not on the classpath";
            }
        }
    }
}
