-- The metadata tables the backup and restore read and write, in the shape of Airflow 2.10 on PostgreSQL
-- (airflow/models/*.py and the 2.10 migrations): columns, primary and unique keys, foreign keys with their
-- ON DELETE, serial ids. Tables the restore never touches are left out, except log_template (dag_run refers to it)
-- and task_reschedule (a child of task_instance the clean must cascade to).

CREATE TABLE log_template (
    id serial PRIMARY KEY,
    filename text NOT NULL,
    elasticsearch_id text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE dag (
    dag_id varchar(250) PRIMARY KEY,
    root_dag_id varchar(250),
    is_paused boolean,
    is_subdag boolean,
    is_active boolean,
    last_parsed_time timestamptz,
    last_pickled timestamptz,
    last_expired timestamptz,
    scheduler_lock boolean,
    pickle_id integer,
    fileloc varchar(2000),
    processor_subdir varchar(2000),
    owners varchar(2000),
    dag_display_name varchar(2000),
    description text,
    default_view varchar(25),
    schedule_interval text,
    timetable_description varchar(1000),
    dataset_expression json,
    max_active_tasks integer NOT NULL,
    max_active_runs integer,
    max_consecutive_failed_dag_runs integer NOT NULL,
    has_task_concurrency_limits boolean NOT NULL,
    has_import_errors boolean DEFAULT false,
    next_dagrun timestamptz,
    next_dagrun_data_interval_start timestamptz,
    next_dagrun_data_interval_end timestamptz,
    next_dagrun_create_after timestamptz
);

CREATE TABLE variable (
    id serial PRIMARY KEY,
    key varchar(250) UNIQUE,
    val text,
    description text,
    is_encrypted boolean
);

CREATE TABLE connection (
    id serial PRIMARY KEY,
    conn_id varchar(250) NOT NULL UNIQUE,
    conn_type varchar(500) NOT NULL,
    description text,
    host varchar(500),
    schema varchar(500),
    login text,
    password text,
    port integer,
    is_encrypted boolean,
    is_extra_encrypted boolean,
    extra text
);

CREATE TABLE slot_pool (
    id serial PRIMARY KEY,
    pool varchar(256) UNIQUE,
    slots integer,
    description text,
    include_deferred boolean NOT NULL
);

CREATE TABLE log (
    id serial PRIMARY KEY,
    dttm timestamptz,
    dag_id varchar(250),
    task_id varchar(250),
    map_index integer,
    event varchar(60),
    execution_date timestamptz,
    run_id varchar(250),
    owner varchar(500),
    owner_display_name varchar(500),
    extra text,
    try_number integer
);

CREATE TABLE job (
    id serial PRIMARY KEY,
    dag_id varchar(250),
    state varchar(20),
    job_type varchar(30),
    start_date timestamptz,
    end_date timestamptz,
    latest_heartbeat timestamptz,
    executor_class varchar(500),
    hostname varchar(500),
    unixname varchar(1000)
);

CREATE TABLE trigger (
    id serial PRIMARY KEY,
    classpath varchar(1000) NOT NULL,
    kwargs text NOT NULL,
    created_date timestamptz NOT NULL,
    triggerer_id integer
);

CREATE TABLE dag_run (
    id serial PRIMARY KEY,
    dag_id varchar(250) NOT NULL,
    queued_at timestamptz,
    execution_date timestamptz NOT NULL,
    start_date timestamptz,
    end_date timestamptz,
    state varchar(50),
    run_id varchar(250) NOT NULL,
    creating_job_id integer,
    external_trigger boolean,
    run_type varchar(50) NOT NULL,
    conf bytea,
    data_interval_start timestamptz,
    data_interval_end timestamptz,
    last_scheduling_decision timestamptz,
    dag_hash varchar(32),
    log_template_id integer REFERENCES log_template (id),
    updated_at timestamptz,
    clear_number integer NOT NULL DEFAULT 0,
    CONSTRAINT dag_run_dag_id_execution_date_key UNIQUE (dag_id, execution_date),
    CONSTRAINT dag_run_dag_id_run_id_key UNIQUE (dag_id, run_id)
);

CREATE TABLE task_instance (
    task_id varchar(250) NOT NULL,
    dag_id varchar(250) NOT NULL,
    run_id varchar(250) NOT NULL,
    map_index integer NOT NULL DEFAULT -1,
    start_date timestamptz,
    end_date timestamptz,
    duration double precision,
    state varchar(20),
    try_number integer,
    max_tries integer DEFAULT -1,
    hostname varchar(1000),
    unixname varchar(1000),
    job_id integer,
    pool varchar(256) NOT NULL,
    pool_slots integer NOT NULL,
    queue varchar(256),
    priority_weight integer,
    operator varchar(1000),
    custom_operator_name varchar(1000),
    queued_dttm timestamptz,
    queued_by_job_id integer,
    pid integer,
    executor varchar(1000),
    executor_config bytea,
    updated_at timestamptz,
    rendered_map_index varchar(250),
    external_executor_id varchar(250),
    trigger_id integer,
    trigger_timeout timestamp,
    next_method varchar(1000),
    next_kwargs json,
    task_display_name varchar(2000),
    CONSTRAINT task_instance_pkey PRIMARY KEY (dag_id, task_id, run_id, map_index),
    CONSTRAINT task_instance_dag_run_fkey FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE,
    CONSTRAINT task_instance_trigger_id_fkey FOREIGN KEY (trigger_id) REFERENCES trigger (id) ON DELETE CASCADE
);

CREATE TABLE task_fail (
    id serial PRIMARY KEY,
    task_id varchar(250) NOT NULL,
    dag_id varchar(250) NOT NULL,
    run_id varchar(250) NOT NULL,
    map_index integer NOT NULL DEFAULT -1,
    start_date timestamptz,
    end_date timestamptz,
    duration integer,
    CONSTRAINT task_fail_ti_fkey FOREIGN KEY (dag_id, task_id, run_id, map_index)
        REFERENCES task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE
);

CREATE TABLE xcom (
    dag_run_id integer NOT NULL,
    task_id varchar(250) NOT NULL,
    map_index integer NOT NULL DEFAULT -1,
    key varchar(512) NOT NULL,
    dag_id varchar(250) NOT NULL,
    run_id varchar(250) NOT NULL,
    value bytea,
    timestamp timestamptz NOT NULL,
    CONSTRAINT xcom_pkey PRIMARY KEY (dag_run_id, task_id, map_index, key),
    CONSTRAINT xcom_task_instance_fkey FOREIGN KEY (dag_id, task_id, run_id, map_index)
        REFERENCES task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE
);

CREATE TABLE task_reschedule (
    id serial PRIMARY KEY,
    task_id varchar(250) NOT NULL,
    dag_id varchar(250) NOT NULL,
    run_id varchar(250) NOT NULL,
    map_index integer NOT NULL DEFAULT -1,
    try_number integer NOT NULL,
    start_date timestamptz NOT NULL,
    end_date timestamptz NOT NULL,
    duration integer NOT NULL,
    reschedule_date timestamptz NOT NULL,
    CONSTRAINT task_reschedule_ti_fkey FOREIGN KEY (dag_id, task_id, run_id, map_index)
        REFERENCES task_instance (dag_id, task_id, run_id, map_index) ON DELETE CASCADE,
    CONSTRAINT task_reschedule_dr_fkey FOREIGN KEY (dag_id, run_id) REFERENCES dag_run (dag_id, run_id) ON DELETE CASCADE
);

-- Every Airflow database has the default pool and the first log template from its migrations.
INSERT INTO slot_pool (pool, slots, description, include_deferred) VALUES ('default_pool', 128, 'Default pool', false);
INSERT INTO log_template (filename, elasticsearch_id, created_at)
VALUES ('dag_id={{ ti.dag_id }}/run_id={{ ti.run_id }}/task_id={{ ti.task_id }}/attempt={{ try_number }}.log',
        '{dag_id}-{task_id}-{run_id}-{map_index}-{try_number}', '2024-01-01T00:00:00Z');
