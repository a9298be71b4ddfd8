package dev.safeops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassTest {

    @ParameterizedTest
    @ValueSource(strings = {"25P02", "08006", "08003", "57014", "55P03", "40P01", "40001", "42601", "42501", "25001",
            "23505", "XX000"})
    void neverToleratesTheseSqlStates(String sqlState) {
        assertThat(ErrorClass.of(sqlState)).isEqualTo(ErrorClass.FATAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P01", "42703", "42704", "3F000", "42883"})
    void classifiesMissingObjects(String sqlState) {
        assertThat(ErrorClass.of(sqlState)).isEqualTo(ErrorClass.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P07", "42701", "42710", "42P06", "42723"})
    void classifiesExistingObjects(String sqlState) {
        assertThat(ErrorClass.of(sqlState)).isEqualTo(ErrorClass.EXISTING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P16", "42809"})
    void genericSqlStatesNeedTheCatalog(String sqlState) {
        assertThat(ErrorClass.of(sqlState)).isEqualTo(ErrorClass.EXISTING_IF_CONFIRMED);
    }

    @Test
    void namesASqlStateOutsideTheListByItsClass() {
        assertThat(SqlStates.name("22P02")).isEqualTo("data_exception");
        assertThat(SqlStates.name("08006")).isEqualTo("connection_exception");
    }
}
