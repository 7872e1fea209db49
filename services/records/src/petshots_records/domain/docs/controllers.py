from __future__ import annotations

import uuid

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from petshots_core.web.openapi import error_responses
from petshots_records.context import Ctx
from petshots_records.deps import provide_ctx
from petshots_records.domain.docs import schemas, services


class PetDocsController(Controller):
    path = "/api/pets/{pet_id:uuid}/docs"
    tags = ["records"]
    dependencies = {"ctx": Provide(provide_ctx, sync_to_thread=False)}

    @post(
        "/",
        operation_id="createDoc",
        responses=error_responses(404, 409, 422),
        status_code=HTTP_201_CREATED,
    )
    async def create_doc(
        self,
        ctx: NamedDependency[Ctx],
        pet_id: FromPath[uuid.UUID],
        data: JSONBody[schemas.DocCreate],
    ) -> schemas.DocCreated:
        """Start a record: a pending row and a presigned POST for its file."""
        return await services.create_doc(ctx, pet_id, data)


class DocController(Controller):
    path = "/api/docs"
    tags = ["records"]
    dependencies = {"ctx": Provide(provide_ctx, sync_to_thread=False)}

    @post(
        "/{doc_id:uuid}/complete",
        operation_id="completeDoc",
        responses=error_responses(404, 409, 422),
        status_code=HTTP_200_OK,
    )
    async def complete(
        self, ctx: NamedDependency[Ctx], doc_id: FromPath[uuid.UUID]
    ) -> schemas.DocDetail:
        """Mark a record ready once storage holds its file (409 `not_uploaded` otherwise)."""
        return await services.complete_doc(ctx, doc_id)

    @get("/{doc_id:uuid}", operation_id="getDoc", responses=error_responses(404))
    async def get_doc(
        self, ctx: NamedDependency[Ctx], doc_id: FromPath[uuid.UUID]
    ) -> schemas.DocDetail:
        """A record's metadata and a short-lived download URL."""
        return await services.get_doc(ctx, doc_id)

    @patch("/{doc_id:uuid}", operation_id="updateDoc", responses=error_responses(404, 409, 422))
    async def update_doc(
        self,
        ctx: NamedDependency[Ctx],
        doc_id: FromPath[uuid.UUID],
        data: JSONBody[schemas.DocUpdate],
    ) -> schemas.DocDetail:
        """Edit label, expiry (null clears it), date given, or pin as the Quick Show record."""
        return await services.update_doc(ctx, doc_id, data)

    @delete(
        "/{doc_id:uuid}",
        operation_id="deleteDoc",
        responses=error_responses(404),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def delete_doc(self, ctx: NamedDependency[Ctx], doc_id: FromPath[uuid.UUID]) -> None:
        """Delete a record and its file."""
        await services.delete_doc(ctx, doc_id)
