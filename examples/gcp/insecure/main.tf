# DELIBERATELY INSECURE example for faasguard. Do not deploy.
# Google Cloud twin of ../../serverless/insecure: each "# RULE:" comment names
# the risk the block below is meant to trigger; ../secure is the same app done right.

variable "project" {
  type    = string
  default = "acme-orders-dev"
}

locals {
  env = {
    ORDERS_TABLE = "acme-orders"
    # RULE: secret in environment variables (hard-coded live API key)
    STRIPE_SECRET_KEY = "sk_live_ExrENTg0fJHXpVjdKIp4YSXUXFYxCut7"
    # RULE: secret in environment variables (hard-coded password)
    DB_PASSWORD = "!vf6s0dDu!lA!pD6Gwvv"
  }
}

resource "google_storage_bucket" "uploads" {
  name     = "acme-orders-uploads-dev"
  location = "EU"
}

# RULE: HTTP function open to allUsers (no authentication); HTTPS not
# enforced (security level defaults to SECURE_OPTIONAL); runs as the default
# service account; end-of-life runtime; timeout above the ceiling.
resource "google_cloudfunctions_function" "api" {
  name                  = "acme-orders-api"
  runtime               = "nodejs14"
  entry_point           = "handler"
  source_archive_bucket = google_storage_bucket.uploads.name
  source_archive_object = "api.zip"
  trigger_http          = true
  timeout               = 540
  environment_variables = local.env
}

# RULE: public invoker -> unauthenticated HTTP endpoint
resource "google_cloudfunctions_function_iam_member" "api_public" {
  project        = var.project
  region         = "europe-west1"
  cloud_function = google_cloudfunctions_function.api.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}

# RULE: 2nd gen HTTP function open to allAuthenticatedUsers; runs as the
# default compute service account.
resource "google_cloudfunctions2_function" "receipt" {
  name     = "acme-orders-receipt"
  location = "europe-west1"
  build_config {
    runtime     = "nodejs22"
    entry_point = "receipt"
  }
  service_config {
    service_account_email = "123456789012-compute@developer.gserviceaccount.com"
    environment_variables = local.env
  }
}

resource "google_cloudfunctions2_function_iam_member" "receipt_public" {
  cloud_function = google_cloudfunctions2_function.receipt.name
  location       = "europe-west1"
  role           = "roles/cloudfunctions.invoker"
  member         = "allAuthenticatedUsers"
}

# RULE: event-driven function with ingress open to all; default service account.
resource "google_cloudfunctions_function" "thumbnail" {
  name                  = "acme-orders-thumbnail"
  runtime               = "python312"
  entry_point           = "handler"
  source_archive_bucket = google_storage_bucket.uploads.name
  source_archive_object = "thumbnail.zip"
  ingress_settings      = "ALLOW_ALL"
  event_trigger {
    event_type = "google.storage.object.finalize"
    resource   = google_storage_bucket.uploads.name
  }
}

# RULE: Cloud Run service public to allUsers; default service account.
resource "google_cloud_run_v2_service" "worker" {
  name     = "acme-orders-worker"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/orders/worker:latest"
      env {
        name  = "DB_PASSWORD"
        value = "!vf6s0dDu!lA!pD6Gwvv"
      }
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "worker_public" {
  name     = google_cloud_run_v2_service.worker.name
  location = "europe-west1"
  role     = "roles/run.invoker"
  member   = "allUsers"
}
