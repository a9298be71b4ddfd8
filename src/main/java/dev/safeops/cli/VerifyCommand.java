package dev.safeops.cli;

import dev.safeops.Expectation;
import dev.safeops.SchemaCheck;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code safe-ops verify}: which expected objects exist, read-only. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks, read-only, that the objects listed in an expectations file exist, and prints an "
                + "'object | exists' table.",
                "The file has one object per line: table users, column users.password, index idx_content_user_id, "
                        + "type targettype, constraint content_user_id_users_id_fk, function touch_version; a schema "
                        + "prefix is optional (table app.users, column app.users.password). Blank lines and lines "
                        + "starting with # are ignored. Unqualified names are looked up in the schemas of the search path."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  every expected object exists",
                "  1  at least one is missing (or, for an index, invalid)",
                "  2  usage, connection or input error"})
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--expect", paramLabel = "FILE", required = true, description = "The expectations file.")
    private Path expect;

    @Override
    public Integer call() {
        List<Expectation> expectations = read();
        DatabaseUrl database = connection.databaseUrl(main.environment());
        List<SchemaCheck.Presence> found = new ArrayList<>();
        try (Connection open = ConnectionOptions.connect(database)) {
            // Read-only and rolled back: checking must never be what changes a database.
            open.setReadOnly(true);
            open.setAutoCommit(false);
            try {
                for (Expectation expectation : expectations) {
                    found.add(SchemaCheck.presence(open, expectation));
                }
            } finally {
                open.rollback();
            }
        } catch (SQLException e) {
            throw new CommandException(Main.NOT_STARTED, "cannot read the catalog of " + database + ": "
                    + e.getMessage(), e);
        }
        print(expectations, found, spec.commandLine().getOut());
        return found.stream().allMatch(p -> p == SchemaCheck.Presence.PRESENT) ? Main.OK : Main.FAILED;
    }

    private List<Expectation> read() {
        String text;
        try {
            text = Files.readString(expect, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such file"
                    : e instanceof CharacterCodingException ? "not valid UTF-8" : e.getMessage();
            throw new CommandException(Main.NOT_STARTED, "cannot read " + expect + ": " + reason, e);
        }
        try {
            List<Expectation> expectations = Expectation.parseAll(expect.toString(), text);
            if (expectations.isEmpty()) {
                throw new CommandException(Main.NOT_STARTED, expect + ": no expectations in the file");
            }
            return expectations;
        } catch (IllegalArgumentException e) {
            throw new CommandException(Main.NOT_STARTED, e.getMessage(), e);
        }
    }

    private static void print(List<Expectation> expectations, List<SchemaCheck.Presence> found, PrintWriter out) {
        int width = "object".length();
        for (Expectation expectation : expectations) {
            width = Math.max(width, expectation.toString().length());
        }
        String row = "%-" + width + "s | %s%n";
        out.printf(row, "object", "exists");
        out.println("-".repeat(width) + "-+-------");
        for (int i = 0; i < expectations.size(); i++) {
            out.printf(row, expectations.get(i), answer(found.get(i)));
        }
        long present = found.stream().filter(p -> p == SchemaCheck.Presence.PRESENT).count();
        out.println("(" + present + " of " + expectations.size() + " present)");
    }

    private static String answer(SchemaCheck.Presence presence) {
        return switch (presence) {
            case PRESENT -> "yes";
            case MISSING -> "no";
            case INVALID -> "invalid";
        };
    }
}
