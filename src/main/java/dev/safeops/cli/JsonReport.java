package dev.safeops.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.safeops.Location;
import dev.safeops.Plan;
import java.io.IOException;
import java.nio.file.Path;

/** Writes an {@link ApplyResult} as the JSON report of {@code apply --report FILE}. */
final class JsonReport {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonReport() {
    }

    static void write(Path file, ApplyResult result) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeBooleanField("committed", result.committed());
            json.writeBooleanField("dryRun", result.dryRun());
            json.writeNumberField("applied", result.count(StatementResult.Status.APPLIED));
            json.writeNumberField("skipped", result.count(StatementResult.Status.SKIPPED));
            json.writeNumberField("failed", result.count(StatementResult.Status.FAILED));
            json.writeNumberField("notRun", result.count(StatementResult.Status.NOT_RUN));
            json.writeNumberField("savepoints", result.savepoints());
            json.writeNumberField("lockRetries", result.lockRetries());
            json.writeStringField("error", result.error());
            json.writeArrayFieldStart("commits");
            for (Location commit : result.commits()) {
                json.writeString(commit.toString());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("statements");
            for (StatementResult statement : result.statements()) {
                Plan.Step step = statement.step();
                json.writeStartObject();
                json.writeNumberField("index", step.index());
                json.writeStringField("file", step.location().file());
                json.writeNumberField("line", step.location().line());
                json.writeStringField("status", statement.status().name());
                json.writeBooleanField("afterCommit", step.afterCommit());
                json.writeStringField("sqlState", statement.sqlState());
                json.writeStringField("message", statement.message());
                json.writeNumberField("lockRetries", statement.lockRetries());
                json.writeStringField("sql", step.sql());
                json.writeArrayFieldStart("warnings");
                for (String warning : statement.warnings()) {
                    json.writeString(warning);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
