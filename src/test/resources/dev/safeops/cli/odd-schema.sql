--
-- A pg_dump --schema-only (PostgreSQL 15) of a schema written to hold what real schema files hold:
-- schemas, enums, domains, range and composite types, identity, serial and generated columns,
-- range and list partitions with sub-partitions and defaults, partitioned indexes, triggers,
-- PL/pgSQL and SQL-standard functions, a procedure, an aggregate, views, a materialized view,
-- row-level security policies, a rule, extended statistics, and identifiers such as "Mixed Case",
-- "with""quote" and unicode ones. Semicolons hide in strings, comments, dollar quotes and names.
-- pg_dump's \restrict and \unrestrict lines are left out: they are psql meta-commands.
--
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: Mixed Case; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Mixed Case";


ALTER SCHEMA "Mixed Case" OWNER TO postgres;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: address; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.address AS (
	street text,
	city text,
	"Zip Code" text
);


ALTER TYPE app.address OWNER TO postgres;

--
-- Name: email; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.email AS text NOT NULL
	CONSTRAINT email_has_at CHECK ((VALUE ~ '@'::text));


ALTER DOMAIN app.email OWNER TO postgres;

--
-- Name: money_range; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.money_range AS RANGE (
    subtype = numeric,
    multirange_type_name = app.money_multirange
);


ALTER TYPE app.money_range OWNER TO postgres;

--
-- Name: positive; Type: DOMAIN; Schema: app; Owner: postgres
--

CREATE DOMAIN app.positive AS numeric(12,2)
	CONSTRAINT positive_check CHECK ((VALUE > (0)::numeric));


ALTER DOMAIN app.positive OWNER TO postgres;

--
-- Name: status; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.status AS ENUM (
    'draft',
    'pub;lished',
    'it''s archived'
);


ALTER TYPE app.status OWNER TO postgres;

--
-- Name: with"quote; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app."with""quote" AS ENUM (
    'a',
    'b'
);


ALTER TYPE app."with""quote" OWNER TO postgres;

--
-- Name: Weird Name(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app."Weird Name"(x text DEFAULT 'a;b'::text) RETURNS text
    LANGUAGE sql
    AS $_$ SELECT x || $q$;$q$ $_$;


ALTER FUNCTION app."Weird Name"(x text) OWNER TO postgres;

--
-- Name: add(integer, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.add(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
 SELECT (a + b);
END;


ALTER FUNCTION app.add(a integer, b integer) OWNER TO postgres;

--
-- Name: archive(date); Type: PROCEDURE; Schema: app; Owner: postgres
--

CREATE PROCEDURE app.archive(IN before date)
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE app.users SET status = 'it''s archived' WHERE created_at < before;
END $$;


ALTER PROCEDURE app.archive(IN before date) OWNER TO postgres;

--
-- Name: events_guard(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.events_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;


ALTER FUNCTION app.events_guard() OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- a semicolon; in a comment, and one in a string: ';'
    NEW.created_at := now();
    RETURN NEW;
END;
$$;


ALTER FUNCTION app.touch() OWNER TO postgres;

--
-- Name: concat_all(text); Type: AGGREGATE; Schema: app; Owner: postgres
--

CREATE AGGREGATE app.concat_all(text) (
    SFUNC = textcat,
    STYPE = text,
    INITCOND = ''
);


ALTER AGGREGATE app.concat_all(text) OWNER TO postgres;

--
-- Name: invoice_numbers; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.invoice_numbers
    START WITH 1000
    INCREMENT BY 7
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.invoice_numbers OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Order Lines; Type: TABLE; Schema: Mixed Case; Owner: postgres
--

CREATE TABLE "Mixed Case"."Order Lines" (
    "Line ID" integer NOT NULL,
    "user" bigint,
    amount app.positive,
    "with""quote" app."with""quote",
    invoice integer DEFAULT nextval('app.invoice_numbers'::regclass)
);

ALTER TABLE ONLY "Mixed Case"."Order Lines" FORCE ROW LEVEL SECURITY;


ALTER TABLE "Mixed Case"."Order Lines" OWNER TO postgres;

--
-- Name: Order Lines_Line ID_seq; Type: SEQUENCE; Schema: Mixed Case; Owner: postgres
--

CREATE SEQUENCE "Mixed Case"."Order Lines_Line ID_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Mixed Case"."Order Lines_Line ID_seq" OWNER TO postgres;

--
-- Name: Order Lines_Line ID_seq; Type: SEQUENCE OWNED BY; Schema: Mixed Case; Owner: postgres
--

ALTER SEQUENCE "Mixed Case"."Order Lines_Line ID_seq" OWNED BY "Mixed Case"."Order Lines"."Line ID";


--
-- Name: Totals "per" user; Type: VIEW; Schema: Mixed Case; Owner: postgres
--

CREATE VIEW "Mixed Case"."Totals ""per"" user" AS
 SELECT "Order Lines"."user",
    sum(("Order Lines".amount)::numeric) AS total
   FROM "Mixed Case"."Order Lines"
  GROUP BY "Order Lines"."user";


ALTER TABLE "Mixed Case"."Totals ""per"" user" OWNER TO postgres;

--
-- Name: users; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.users (
    id bigint NOT NULL,
    email app.email,
    status app.status DEFAULT 'draft'::app.status NOT NULL,
    home app.address,
    "Display Name" text,
    name_length integer GENERATED ALWAYS AS (length("Display Name")) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE app.users OWNER TO postgres;

--
-- Name: TABLE users; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.users IS 'people; with a semicolon';


--
-- Name: COLUMN users."Display Name"; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON COLUMN app.users."Display Name" IS 'shown as-is';


--
-- Name: active_users; Type: VIEW; Schema: app; Owner: postgres
--

CREATE VIEW app.active_users AS
 SELECT users.id,
    users.email,
    users."Display Name"
   FROM app.users
  WHERE (users.status = 'draft'::app.status);


ALTER TABLE app.active_users OWNER TO postgres;

--
-- Name: café; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app."café" (
    "naïve ☕" text NOT NULL,
    "таблица" integer,
    CONSTRAINT "café_таблица_check" CHECK (("таблица" >= 0))
);


ALTER TABLE app."café" OWNER TO postgres;

--
-- Name: events; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (happened_on);


ALTER TABLE app.events OWNER TO postgres;

--
-- Name: event_counts; Type: MATERIALIZED VIEW; Schema: app; Owner: postgres
--

CREATE MATERIALIZED VIEW app.event_counts AS
 SELECT events.kind,
    count(*) AS n
   FROM app.events
  GROUP BY events.kind
  WITH NO DATA;


ALTER TABLE app.event_counts OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events_2024 (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY LIST (kind);


ALTER TABLE app.events_2024 OWNER TO postgres;

--
-- Name: events_2024_click; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events_2024_click (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE app.events_2024_click OWNER TO postgres;

--
-- Name: events_2024_other; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events_2024_other (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE app.events_2024_other OWNER TO postgres;

--
-- Name: events_2025; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events_2025 (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE app.events_2025 OWNER TO postgres;

--
-- Name: events_default; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.events_default (
    id bigint NOT NULL,
    happened_on date NOT NULL,
    kind text NOT NULL,
    payload jsonb
);


ALTER TABLE app.events_default OWNER TO postgres;

--
-- Name: users_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events ATTACH PARTITION app.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: events_2024_click; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2024 ATTACH PARTITION app.events_2024_click FOR VALUES IN ('click');


--
-- Name: events_2024_other; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2024 ATTACH PARTITION app.events_2024_other DEFAULT;


--
-- Name: events_2025; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events ATTACH PARTITION app.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: events_default; Type: TABLE ATTACH; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events ATTACH PARTITION app.events_default DEFAULT;


--
-- Name: Order Lines Line ID; Type: DEFAULT; Schema: Mixed Case; Owner: postgres
--

ALTER TABLE ONLY "Mixed Case"."Order Lines" ALTER COLUMN "Line ID" SET DEFAULT nextval('"Mixed Case"."Order Lines_Line ID_seq"'::regclass);


--
-- Name: Order Lines Order Lines_pkey; Type: CONSTRAINT; Schema: Mixed Case; Owner: postgres
--

ALTER TABLE ONLY "Mixed Case"."Order Lines"
    ADD CONSTRAINT "Order Lines_pkey" PRIMARY KEY ("Line ID");


--
-- Name: café café_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app."café"
    ADD CONSTRAINT "café_pkey" PRIMARY KEY ("naïve ☕");


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: events_2024 events_2024_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: events_2024_click events_2024_click_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2024_click
    ADD CONSTRAINT events_2024_click_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: events_2024_other events_2024_other_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2024_other
    ADD CONSTRAINT events_2024_other_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: events_2025 events_2025_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_2025
    ADD CONSTRAINT events_2025_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: events_default events_default_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.events_default
    ADD CONSTRAINT events_default_pkey PRIMARY KEY (id, happened_on, kind);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: event_counts_kind; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX event_counts_kind ON app.event_counts USING btree (kind);


--
-- Name: events_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_kind_idx ON ONLY app.events USING btree (kind);


--
-- Name: events_2024_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_kind_idx ON ONLY app.events_2024 USING btree (kind);


--
-- Name: events_2024_click_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_click_kind_idx ON app.events_2024_click USING btree (kind);


--
-- Name: events_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_payload_idx ON ONLY app.events USING gin (payload);


--
-- Name: events_2024_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_payload_idx ON ONLY app.events_2024 USING gin (payload);


--
-- Name: events_2024_click_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_click_payload_idx ON app.events_2024_click USING gin (payload);


--
-- Name: events_2024_other_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_other_kind_idx ON app.events_2024_other USING btree (kind);


--
-- Name: events_2024_other_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2024_other_payload_idx ON app.events_2024_other USING gin (payload);


--
-- Name: events_2025_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2025_kind_idx ON app.events_2025 USING btree (kind);


--
-- Name: events_2025_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_2025_payload_idx ON app.events_2025 USING gin (payload);


--
-- Name: events_default_kind_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_default_kind_idx ON app.events_default USING btree (kind);


--
-- Name: events_default_payload_idx; Type: INDEX; Schema: app; Owner: postgres
--

CREATE INDEX events_default_payload_idx ON app.events_default USING gin (payload);


--
-- Name: users_lower_email; Type: INDEX; Schema: app; Owner: postgres
--

CREATE UNIQUE INDEX users_lower_email ON app.users USING btree (lower((email)::text)) WHERE (status <> 'it''s archived'::app.status);


--
-- Name: events_2024_click_kind_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_kind_idx ATTACH PARTITION app.events_2024_click_kind_idx;


--
-- Name: events_2024_click_payload_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_payload_idx ATTACH PARTITION app.events_2024_click_payload_idx;


--
-- Name: events_2024_click_pkey; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_pkey ATTACH PARTITION app.events_2024_click_pkey;


--
-- Name: events_2024_kind_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_kind_idx ATTACH PARTITION app.events_2024_kind_idx;


--
-- Name: events_2024_other_kind_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_kind_idx ATTACH PARTITION app.events_2024_other_kind_idx;


--
-- Name: events_2024_other_payload_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_payload_idx ATTACH PARTITION app.events_2024_other_payload_idx;


--
-- Name: events_2024_other_pkey; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_2024_pkey ATTACH PARTITION app.events_2024_other_pkey;


--
-- Name: events_2024_payload_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_payload_idx ATTACH PARTITION app.events_2024_payload_idx;


--
-- Name: events_2024_pkey; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_pkey ATTACH PARTITION app.events_2024_pkey;


--
-- Name: events_2025_kind_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_kind_idx ATTACH PARTITION app.events_2025_kind_idx;


--
-- Name: events_2025_payload_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_payload_idx ATTACH PARTITION app.events_2025_payload_idx;


--
-- Name: events_2025_pkey; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_pkey ATTACH PARTITION app.events_2025_pkey;


--
-- Name: events_default_kind_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_kind_idx ATTACH PARTITION app.events_default_kind_idx;


--
-- Name: events_default_payload_idx; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_payload_idx ATTACH PARTITION app.events_default_payload_idx;


--
-- Name: events_default_pkey; Type: INDEX ATTACH; Schema: app; Owner: postgres
--

ALTER INDEX app.events_pkey ATTACH PARTITION app.events_default_pkey;


--
-- Name: users_stats; Type: STATISTICS; Schema: app; Owner: postgres
--

CREATE STATISTICS app.users_stats (dependencies) ON status, name_length FROM app.users;


ALTER STATISTICS app.users_stats OWNER TO postgres;

--
-- Name: café no_delete_cafe; Type: RULE; Schema: app; Owner: postgres
--

CREATE RULE no_delete_cafe AS
    ON DELETE TO app."café" DO INSTEAD NOTHING;


--
-- Name: events events_guard; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER events_guard BEFORE INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.events_guard();


--
-- Name: users users_touch; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();


--
-- Name: Order Lines Order Lines_user_fkey; Type: FK CONSTRAINT; Schema: Mixed Case; Owner: postgres
--

ALTER TABLE ONLY "Mixed Case"."Order Lines"
    ADD CONSTRAINT "Order Lines_user_fkey" FOREIGN KEY ("user") REFERENCES app.users(id) ON DELETE CASCADE;


--
-- Name: users Admins; all; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY "Admins; all" ON app.users USING (true) WITH CHECK ((status <> 'draft'::app.status));


--
-- Name: users own_rows; Type: POLICY; Schema: app; Owner: postgres
--

CREATE POLICY own_rows ON app.users USING (((email)::text = CURRENT_USER));


--
-- Name: users; Type: ROW SECURITY; Schema: app; Owner: postgres
--

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

--
-- PostgreSQL database dump complete
--


