data "aws_partition" "current" {}

locals {
  tags = merge({ Name = var.name }, var.tags)
  # min_capacity 0 lets Aurora pause after seconds_until_auto_pause; only then is the setting sent.
  pauses = var.min_capacity == 0
}

################################################################################
# Network: data subnets, security group 5432 from the app security group only
################################################################################

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Petshots ${var.name}: isolated data subnets"
  subnet_ids  = var.data_subnet_ids

  tags = local.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "Aurora PostgreSQL: 5432 from the app security group only, no egress"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${var.name}-postgres" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "postgres_from_app" {
  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from the app tier's workloads"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = var.app_security_group_id
}

################################################################################
# Parameters and logs
################################################################################

resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-aurora-postgresql${split(".", var.engine_version)[0]}-"
  family      = "aurora-postgresql${split(".", var.engine_version)[0]}"
  description = "Petshots ${var.name}: TLS only, slow-query and connection logging"

  # Clients must use TLS (the app's URL carries ssl=require).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Statements slower than this are logged with their text; nothing else is, so no personal data
  # (e-mail addresses in parameters) lands in the logs for ordinary queries.
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  # Schema changes (the Alembic migration job) are audited; data statements are not.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Created before the cluster so Aurora writes into an encrypted group with a retention period
# instead of creating an unencrypted one that never expires.
resource "aws_cloudwatch_log_group" "postgresql" {
  name              = "/aws/rds/cluster/${var.name}/postgresql"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.name}-rds-monitoring"
  description        = "Enhanced Monitoring of the Petshots Aurora cluster"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

################################################################################
# Cluster (Aurora PostgreSQL Serverless v2)
################################################################################

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:Backups are Aurora's continuous automated backups (point-in-time restore within backup_retention_period, 7-35 days) plus the final snapshot; AWS Backup would add a second, paid copy.
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
  engine_version     = var.engine_version
  database_name      = var.database_name
  port               = 5432

  master_username                     = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  iam_database_authentication_enabled = true

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  network_type                    = "IPV4"

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  serverlessv2_scaling_configuration {
    min_capacity             = var.min_capacity
    max_capacity             = var.max_capacity
    seconds_until_auto_pause = local.pauses ? var.seconds_until_auto_pause : null
  }

  backup_retention_period      = var.backup_retention_period
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${var.name}-final"
  delete_automated_backups     = false
  deletion_protection          = true

  enabled_cloudwatch_logs_exports = ["postgresql"]
  allow_major_version_upgrade     = false
  apply_immediately               = false

  tags = local.tags

  depends_on = [aws_cloudwatch_log_group.postgresql]

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier                   = "${var.name}-${count.index + 1}"
  cluster_identifier           = aws_rds_cluster.this.id
  instance_class               = "db.serverless"
  engine                       = aws_rds_cluster.this.engine
  engine_version               = aws_rds_cluster.this.engine_version
  db_subnet_group_name         = aws_db_subnet_group.this.name
  publicly_accessible          = false
  auto_minor_version_upgrade   = true
  ca_cert_identifier           = "rds-ca-rsa2048-g1"
  promotion_tier               = count.index
  preferred_maintenance_window = var.preferred_maintenance_window

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = 7

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  tags = merge({ Name = "${var.name}-${count.index + 1}" }, var.tags)
}
