package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeops.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of the rule table in README's "What is tolerated": for each kind of statement and class
 * of error, a statement whose own target is absent (or already there) is skipped, and one whose
 * error is about something it merely mentions fails. Each row runs in a transaction rolled back.
 */
class SkipRuleTest {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @BeforeAll
    static void schema() throws SQLException {
        Schema.reset(db, """
                CREATE TABLE accounts (id int PRIMARY KEY, mail text, CONSTRAINT accounts_id_positive CHECK (id > 0));
                CREATE INDEX accounts_mail ON accounts (mail);
                CREATE TABLE other (id int);
                CREATE INDEX fresh_pkey ON other (id);
                CREATE VIEW accounts_view AS SELECT id FROM accounts;
                CREATE SEQUENCE counter;
                CREATE TYPE mood AS ENUM ('happy');
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE SCHEMA reporting;
                CREATE TABLE counted (id int GENERATED ALWAYS AS IDENTITY);
                CREATE STATISTICS accounts_stats ON id, mail FROM accounts;
                """);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ALTER TABLE absent ADD COLUMN x int                                 | SKIPPED
            ALTER TABLE accounts DROP COLUMN gone                               | SKIPPED
            ALTER TABLE accounts ALTER COLUMN gone TYPE bigint                  | FAILED
            ALTER TABLE accounts RENAME COLUMN gone TO mail                     | SKIPPED
            ALTER TABLE accounts RENAME COLUMN gone TO elsewhere                | FAILED
            ALTER TABLE accounts DROP CONSTRAINT gone                           | SKIPPED
            ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES absent (id) | FAILED
            ALTER INDEX absent_index RENAME TO other_name                       | SKIPPED
            ALTER TYPE absent_type RENAME TO other_name                         | SKIPPED
            ALTER FUNCTION absent_function() OWNER TO CURRENT_USER              | SKIPPED
            DROP TABLE absent                                                   | SKIPPED
            DROP TABLE other, absent                                            | FAILED
            DROP TYPE absent_type                                               | SKIPPED
            DROP FUNCTION absent_function()                                     | SKIPPED
            DROP SCHEMA absent_schema                                           | SKIPPED
            DROP TRIGGER absent_trigger ON accounts                             | SKIPPED
            DROP TRIGGER accounts_touch ON absent                               | SKIPPED
            INSERT INTO absent VALUES (1)                                       | SKIPPED
            INSERT INTO accounts (id, mial) VALUES (1, 'x')                     | FAILED
            UPDATE absent SET x = 1                                             | SKIPPED
            DELETE FROM absent                                                  | SKIPPED
            TRUNCATE absent                                                     | SKIPPED
            CREATE INDEX absent_x ON absent (x)                                 | SKIPPED
            CREATE INDEX accounts_mial ON accounts (mial)                       | FAILED
            CREATE TRIGGER absent_touch BEFORE UPDATE ON absent FOR EACH ROW EXECUTE FUNCTION touch() | SKIPPED
            CREATE TRIGGER accounts_typo BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION tuch() | FAILED
            COMMENT ON TABLE absent IS 'x'                                      | SKIPPED
            COMMENT ON COLUMN absent.x IS 'x'                                   | SKIPPED
            COMMENT ON COLUMN accounts.mial IS 'x'                              | FAILED
            GRANT SELECT ON absent TO PUBLIC                                    | SKIPPED
            GRANT SELECT ON accounts TO pubic                                   | FAILED
            CREATE TABLE payments (amount numerc)                               | FAILED
            CREATE TABLE absent_schema.t (id int)                               | FAILED
            CREATE VIEW absent_view AS SELECT * FROM absent                     | FAILED
            SELECT * FROM absent                                                | FAILED
            CREATE TABLE accounts (id int)                                      | SKIPPED
            CREATE TABLE accounts_view (id int)                                 | FAILED
            CREATE TABLE fresh (id int, CONSTRAINT fresh_pkey PRIMARY KEY (id)) | FAILED
            CREATE VIEW accounts_view AS SELECT 1 AS id                         | SKIPPED
            CREATE SEQUENCE counter                                             | SKIPPED
            CREATE INDEX accounts_mail ON accounts (mail)                       | SKIPPED
            CREATE INDEX accounts_mail ON other (id)                            | FAILED
            CREATE TYPE mood AS ENUM ('sad')                                    | SKIPPED
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$ | SKIPPED
            CREATE SCHEMA reporting                                             | SKIPPED
            CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch() | SKIPPED
            CREATE EXTENSION plpgsql                                            | SKIPPED
            ALTER TABLE accounts ADD COLUMN mail text                           | SKIPPED
            ALTER TABLE accounts ADD CONSTRAINT accounts_id_positive CHECK (id > 0) | SKIPPED
            ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id)  | SKIPPED
            ALTER TABLE accounts ADD PRIMARY KEY (mail)                         | FAILED
            ALTER TABLE counted ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME counted_id_seq) | SKIPPED
            ALTER TABLE counted ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME counted_id_seq) | FAILED
            CREATE STATISTICS accounts_stats ON id, mail FROM accounts          | SKIPPED
            ALTER TYPE mood ADD VALUE 'happy'                                   | SKIPPED
            """)
    void eachRowOfTheRuleTableHoldsOnARealServer(String sql, String expected) throws SQLException {
        try (Connection connection = db.connectInTransaction()) {
            SafeOps ops = SafeOps.on(connection);
            String actual;
            try {
                actual = ops.execute(sql).isSkipped() ? "SKIPPED" : "APPLIED";
            } catch (SafeOpsException e) {
                actual = "FAILED " + e.getMessage();
            }
            connection.rollback();

            assertThat(actual).as(sql).startsWith(expected);
        }
    }
}
